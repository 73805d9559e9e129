# The event generator as a container, for feeding a deployment's Kafka from Google Cloud (the
# optional generator VM, terraform/generator.tf): a Java 17 runtime, the generator's classes and
# its runtime classpath (generator/target after `./mvnw -pl pipelines -am package`, which builds
# the generator too). Arguments are the generator's (streamify generate --help). Build context:
# the repository root.
FROM eclipse-temurin:17-jre

COPY generator/target/lib/ /app/lib/
COPY generator/target/streamify-generator-*.jar /app/streamify-generator.jar
ENTRYPOINT ["java", "-cp", "/app/lib/*:/app/streamify-generator.jar", "io.streamify.generator.GeneratorCli"]
