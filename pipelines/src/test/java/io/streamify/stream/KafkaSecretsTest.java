package io.streamify.stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * Kafka credentials from Secret Manager: the options carry only the secret's name; where a consumer
 * is made, the secret's settings are merged in (explicit settings win) and the name is gone before
 * Kafka sees the config.
 */
class KafkaSecretsTest {
  static final String SECRET = "projects/p/secrets/kafka/versions/latest";

  @Test
  void theSecretsSettingsAreMergedWhereAConsumerIsMade() {
    List<String> fetched = new ArrayList<>();
    Map<String, Object> config =
        Map.of(
            "bootstrap.servers",
            "b:9093",
            "security.protocol",
            "SSL",
            KafkaSecrets.SECRET_KEY,
            SECRET);
    Map<String, Object> resolved =
        KafkaSecrets.resolve(
            config,
            name -> {
              fetched.add(name);
              return KafkaSecrets.parse(
                  "# client settings\nsecurity.protocol=SASL_SSL\n"
                      + "sasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain"
                      + ".PlainLoginModule required username=\"u\" password=\"p\";\n");
            });
    assertThat(fetched, equalTo(List.of(SECRET)));
    assertThat(
        resolved,
        equalTo(
            Map.of(
                "bootstrap.servers",
                "b:9093",
                "security.protocol",
                "SSL",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"u\" password=\"p\";")));
  }

  @Test
  void withoutASecretNothingIsFetched() {
    Map<String, Object> config = Map.of("bootstrap.servers", "b:9092");
    assertThat(
        KafkaSecrets.resolve(
            config,
            name -> {
              throw new AssertionError("fetched " + name);
            }),
        equalTo(config));
  }

  @Test
  void theOptionNamesTheSecretOnlyAndAMalformedNameFailsAtLaunch() {
    StreamPipeline.Options o =
        PipelineOptionsFactory.fromArgs(
                "--bootstrapServers=b:9093",
                "--lake=gs://bucket/lake",
                "--kafkaPropertiesSecret=" + SECRET)
            .as(StreamPipeline.Options.class);
    assertThat(StreamPipeline.kafkaProperties(o), equalTo(Map.of(KafkaSecrets.SECRET_KEY, SECRET)));
    o.setKafkaPropertiesSecret("kafka-secret");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StreamPipeline.validate(o));
    assertThat(
        e.getMessage(),
        is(
            "--kafkaPropertiesSecret must be"
                + " projects/PROJECT/secrets/SECRET/versions/VERSION, got kafka-secret"));
  }
}
