package io.streamify.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import io.streamify.templates.TemplateMetadata;
import io.streamify.templates.TemplateMetadataTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * templates/: the Cloud Build config builds an image per pipeline from the Dockerfile, with a main
 * class that exists, pushes what it builds and writes specs from the committed metadata; build.sh
 * submits it with the right substitutions and prints run commands whose parameters the templates
 * declare (checked with a stand-in gcloud that records its arguments).
 */
class TemplatesBuildTest {
  static final Path TEMPLATES = Path.of("..", "templates");

  @Test
  @SuppressWarnings("unchecked")
  void cloudBuildBuildsPushesAndDescribesBothTemplates() throws Exception {
    String text = Files.readString(TEMPLATES.resolve("cloudbuild.yaml"));
    Map<String, Object> build = new Yaml().load(text);
    Set<String> declared = ((Map<String, Object>) build.get("substitutions")).keySet();
    Matcher used = Pattern.compile("\\$\\{(_[A-Z_]+)}").matcher(text);
    while (used.find()) {
      assertThat(used.group(1) + " is declared", declared.contains(used.group(1)), is(true));
    }
    List<Map<String, Object>> steps = (List<Map<String, Object>>) build.get("steps");
    Set<String> ids = new TreeSet<>();
    Set<String> built = new TreeSet<>();
    Set<String> pushed = new TreeSet<>();
    Set<String> specImages = new TreeSet<>();
    Set<String> generatorImages = new TreeSet<>();
    for (Map<String, Object> step : steps) {
      assertThat("unique step id", ids.add((String) step.get("id")), is(true));
      for (String w : (List<String>) step.getOrDefault("waitFor", List.of())) {
        assertThat(step.get("id") + " waits for a step before it", ids.contains(w), is(true));
      }
      List<String> args = (List<String>) step.get("args");
      if (args.get(0).equals("build") && args.contains("templates/generator.Dockerfile")) {
        generatorImages.add(args.get(args.indexOf("-t") + 1));
      } else if (args.get(0).equals("build")) {
        String main = args.get(args.indexOf("--build-arg") + 3).replace("MAIN_CLASS=", "");
        Class.forName(main).getMethod("main", String[].class);
        built.add(args.get(args.indexOf("-t") + 1));
        assertThat(args.get(args.indexOf("-f") + 1), is("templates/Dockerfile"));
      } else if (args.get(0).equals("push")) {
        pushed.add(args.get(1));
      } else if (args.get(0).equals("dataflow")) {
        String metadata =
            args.stream()
                .filter(a -> a.startsWith("--metadata-file="))
                .findFirst()
                .orElseThrow()
                .substring("--metadata-file=".length());
        assertThat(
            metadata + " exists",
            Files.exists(TEMPLATES.resolve("..").resolve(metadata)),
            is(true));
        specImages.add(
            args.stream()
                .filter(a -> a.startsWith("--image="))
                .findFirst()
                .orElseThrow()
                .substring("--image=".length()));
        assertThat(args.contains("--sdk-language=JAVA"), is(true));
      }
    }
    assertThat(built.size(), is(2));
    assertThat(specImages, equalTo(built));
    // and the generator's image, which the optional generator VM runs (terraform/generator.tf)
    assertThat(
        generatorImages,
        equalTo(
            Set.of(
                "${_REGION}-docker.pkg.dev/${PROJECT_ID}/"
                    + "${_REPOSITORY}/streamify-generator:${_TAG}")));
    Set<String> all = new TreeSet<>(built);
    all.addAll(generatorImages);
    assertThat(pushed, equalTo(all));
    String generator = Files.readString(TEMPLATES.resolve("generator.Dockerfile"));
    assertThat(generator, containsString("COPY generator/target/streamify-generator-*.jar"));
    Class.forName(generator.replaceAll("(?s).*\"(io\\.streamify\\.[A-Za-z.]+)\"].*", "$1"))
        .getMethod("main", String[].class);

    String docker = Files.readString(TEMPLATES.resolve("Dockerfile"));
    assertThat(
        docker, containsString("gcr.io/dataflow-templates-base/java17-template-launcher-base:"));
    assertThat(docker, containsString("ENV FLEX_TEMPLATE_JAVA_MAIN_CLASS=${MAIN_CLASS}"));
    assertThat(docker, containsString("COPY pipelines/target/streamify-pipelines-*.jar"));
    // on Dataflow, logs go through the workers' java.util.logging binding, not slf4j-simple's
    // stderr: the local runs' binding stays out of the image
    assertThat(docker, containsString("\nRUN rm -f /template/lib/slf4j-simple-*.jar\n"));
    assertThat(
        Files.readString(Path.of("pom.xml")),
        containsString("<artifactId>slf4j-simple</artifactId>"));
    assertThat(
        Files.readString(Path.of("pom.xml")),
        containsString("<artifactId>streamify-pipelines</artifactId>"));
  }

  @Test
  void buildShSubmitsTheBuildAndPrintsRunCommandsWithDeclaredParameters(@TempDir Path bin)
      throws Exception {
    Path calls = bin.resolve("gcloud-calls");
    Path gcloud = bin.resolve("gcloud");
    Files.writeString(gcloud, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '" + calls + "'\n");
    Files.setPosixFilePermissions(gcloud, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash",
                TEMPLATES.resolve("build.sh").toString(),
                "--project",
                "streamify-test",
                "--region",
                "europe-west1",
                "--bucket",
                "tpl-bucket",
                "--service-account",
                "streamify-build@streamify-test.iam.gserviceaccount.com")
            .redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out, p.waitFor(), is(0));

    Path root = TEMPLATES.resolve("..").toRealPath();
    assertThat(
        Files.readAllLines(calls),
        equalTo(
            List.of(
                "builds",
                "submit",
                root.toString(),
                "--project=streamify-test",
                "--region=europe-west1",
                "--config=" + root + "/templates/cloudbuild.yaml",
                // as Terraform's build account, with the source where that account may read it
                "--service-account=projects/streamify-test/serviceAccounts/streamify-build@streamify-test"
                    + ".iam.gserviceaccount.com",
                "--gcs-source-staging-dir=gs://tpl-bucket/source",
                "--substitutions=_REGION=europe-west1,_REPOSITORY=streamify,_TEMPLATE_BUCKET=tpl-bucket,"
                    + "_TAG=latest")));

    Matcher stream = Pattern.compile("--parameters=\"\\^~\\^([^\"]+)\"").matcher(out);
    assertThat(out, stream.find(), is(true));
    List<String> names = new ArrayList<>();
    for (String kv : stream.group(1).split("~")) {
      names.add(kv.substring(0, kv.indexOf('=')));
    }
    assertThat(
        TemplateMetadataTest.regexes(TemplateMetadata.streamPipeline()).keySet().containsAll(names),
        is(true));
    assertThat(names, equalTo(List.of("bootstrapServers", "lake", "kafkaProperties")));
    Matcher hourly = Pattern.compile("--parameters=([a-z][^\\s\"]+)").matcher(out);
    assertThat(out, hourly.find(), is(true));
    names.clear();
    for (String kv : hourly.group(1).split(",")) {
      names.add(kv.substring(0, kv.indexOf('=')));
    }
    assertThat(names, equalTo(List.of("lake", "warehouse", "hour")));
    assertThat(
        TemplateMetadataTest.regexes(TemplateMetadata.hourlyPipeline()).keySet().containsAll(names),
        is(true));
    assertThat(
        out,
        containsString(
            "--template-file-gcs-location=gs://tpl-bucket/templates/latest/hourly-pipeline.json"));
    // without an applied Terraform, the names are placeholders, never a guessed default
    assertThat(out, containsString("gcloud dataflow flex-template run <HOURLY_JOB_NAME> \\\n"));
  }

  /**
   * With an applied deployment, the printed commands take every value from Terraform's outputs,
   * computed here from the configuration itself for a non-default name and an external broker: the
   * scheduler's job names (the same-name guard against overlapping runs), the staging and temp
   * locations, and in external mode the secret; every parameter is one the template declares, with
   * a value its regex accepts.
   */
  @Test
  void buildShPrintsRunCommandsFromTerraformsOwnValues(@TempDir Path dir) throws Exception {
    Terraform tf = new Terraform();
    tf.overrides.put("name", "acme-data");
    tf.overrides.put("project_id", "acme-prod");
    tf.overrides.put("kafka_mode", "external");
    tf.overrides.put("kafka_bootstrap_servers", "broker-1.example.com:9093");
    Map<String, String> outputs = new TreeMap<>();
    for (String name :
        List.of(
            "project_id",
            "region",
            "lake_url",
            "warehouse",
            "kafka_bootstrap_servers",
            "kafka_client_properties",
            "stream_job_name",
            "hourly_job_name",
            "dataflow_temp_location",
            "dataflow_staging_location")) {
      outputs.put(name, tf.eval(outputValue(tf, name)));
    }
    outputs.put("templates_bucket", tf.eval("local.templates_bucket"));
    // resource attributes Terraform only knows after apply
    outputs.put(
        "kafka_properties_secret",
        "projects/acme-prod/secrets/streamify-kafka-client-properties/versions/latest");
    outputs.put("dataflow_service_account", "acme-data-dataflow@acme-prod.iam.gserviceaccount.com");
    outputs.put(
        "subnetwork",
        "https://www.googleapis.com/compute/v1/projects/acme-prod/regions/"
            + "europe-west1/subnetworks/acme-data-dataflow");
    assertThat(outputValue(tf, "kafka_properties_secret"), is("local.kafka_properties_secret"));

    Path tfDir = Files.createDirectories(dir.resolve("terraform/.terraform")).getParent();
    Path bin = Files.createDirectories(dir.resolve("bin"));
    StringBuilder fake =
        new StringBuilder(
            "#!/bin/sh\n# terraform -chdir=D output -raw NAME\n" + "case \"$4\" in\n");
    outputs.forEach(
        (k, v) -> fake.append("  ").append(k).append(") printf '%s' '").append(v).append("' ;;\n"));
    fake.append("  *) exit 1 ;;\nesac\n");
    Files.writeString(bin.resolve("terraform"), fake);
    Files.setPosixFilePermissions(
        bin.resolve("terraform"), PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb =
        new ProcessBuilder("bash", TEMPLATES.resolve("build.sh").toString(), "--print-only")
            .redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    pb.environment().put("STREAMIFY_TERRAFORM_DIR", tfDir.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out, p.waitFor(), is(0));

    assertThat(out, containsString("gcloud dataflow flex-template run acme-data-stream \\\n"));
    assertThat(out, containsString("gcloud dataflow flex-template run acme-data-hourly \\\n"));
    assertThat(outputs.get("hourly_job_name"), is(tf.eval("local.hourly_job_name")));
    assertThat(
        tf.sources.get("scheduler.tf"),
        containsString("jobName              = local.hourly_job_name"));
    String locations =
        "--temp-location=gs://acme-prod-acme-data-templates/temp"
            + " --staging-location=gs://acme-prod-acme-data-templates/staging";
    assertThat(
        out,
        out.indexOf(locations) >= 0 && out.indexOf(locations, out.indexOf(locations) + 1) >= 0,
        is(true));
    assertThat(
        tf.sources.get("scheduler.tf"),
        containsString("tempLocation         = local.dataflow_temp_location"));

    Map<String, Pattern> stream = TemplateMetadataTest.regexes(TemplateMetadata.streamPipeline());
    Matcher params = Pattern.compile("--parameters=\"\\^~\\^([^\"]+)\"").matcher(out);
    assertThat(out, params.find(), is(true));
    Map<String, String> given = new LinkedHashMap<>();
    for (String kv : params.group(1).split("~")) {
      given.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    assertThat(
        given.keySet(), equalTo(Set.of("bootstrapServers", "lake", "kafkaPropertiesSecret")));
    given.forEach((k, v) -> assertThat(k + "=" + v, stream.get(k).matcher(v).matches(), is(true)));
    Map<String, Pattern> hourly = TemplateMetadataTest.regexes(TemplateMetadata.hourlyPipeline());
    Matcher hourlyParams = Pattern.compile("--parameters=([a-z][^\\s\"]+)").matcher(out);
    assertThat(out, hourlyParams.find(), is(true));
    for (String kv : hourlyParams.group(1).split(",")) {
      String k = kv.substring(0, kv.indexOf('='));
      assertThat(kv, hourly.get(k).matcher(kv.substring(kv.indexOf('=') + 1)).matches(), is(true));
    }
  }

  /**
   * The README's own run command (the backfill) takes every value from Terraform's outputs, each of
   * which exists, and gives only parameters the hourly template declares.
   */
  @Test
  void theReadmesRunCommandTakesItsValuesFromTerraform() throws Exception {
    String readme = Files.readString(TEMPLATES.resolve("../README.md"));
    int start = readme.indexOf("gcloud dataflow flex-template run ");
    assertThat(start >= 0, is(true));
    String command = readme.substring(start, readme.indexOf("\n```", start));
    assertThat(command, containsString("run \"$(o hourly_job_name)\""));
    assertThat(readme.contains("flex-template run streamify-"), is(false));
    String outputs = new Terraform().sources.get("outputs.tf");
    Matcher o = Pattern.compile("\\$\\(o ([a-z_]+)\\)").matcher(command);
    Set<String> used = new TreeSet<>();
    while (o.find()) {
      used.add(o.group(1));
      assertThat(o.group(1), outputs.contains("output \"" + o.group(1) + "\" {"), is(true));
    }
    assertThat(used.size() >= 10, is(true));
    Matcher params = Pattern.compile("--parameters=\"([^\"]+)\"").matcher(command);
    assertThat(params.find(), is(true));
    Map<String, Pattern> hourly = TemplateMetadataTest.regexes(TemplateMetadata.hourlyPipeline());
    for (String kv : params.group(1).split(",")) {
      String k = kv.substring(0, kv.indexOf('='));
      assertThat(k, hourly.containsKey(k), is(true));
      if (!kv.contains("$(")) {
        assertThat(
            kv, hourly.get(k).matcher(kv.substring(kv.indexOf('=') + 1)).matches(), is(true));
      }
    }
  }

  /** The value expression of an output block of outputs.tf. */
  static String outputValue(Terraform tf, String output) {
    String outputs = tf.sources.get("outputs.tf");
    int block = outputs.indexOf("output \"" + output + "\" {");
    assertThat("output " + output, block >= 0, is(true));
    Matcher m = Pattern.compile("(?m)^  value\\s*=\\s*(.+)$").matcher(outputs.substring(block));
    assertThat(m.find(), is(true));
    return m.group(1).strip();
  }

  @Test
  void buildShWithoutABucketSaysSoInOneLine() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash",
                TEMPLATES.resolve("build.sh").toString(),
                "--project",
                "p",
                "--region",
                "europe-west1")
            .redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(), is(2));
    assertThat(
        out,
        equalTo(
            "templates/build.sh: no --bucket given and no terraform output to"
                + " take it from\n"));
    pb =
        new ProcessBuilder(
                "bash",
                TEMPLATES.resolve("build.sh").toString(),
                "--project",
                "p",
                "--region",
                "europe-west1",
                "--bucket",
                "b")
            .redirectErrorStream(true);
    p = pb.start();
    out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(), is(2));
    assertThat(
        out,
        equalTo(
            "templates/build.sh: no --service-account given and no terraform"
                + " output to take it from\n"));
  }

  @Test
  void theBuildLogsToCloudLoggingAsAUserSpecifiedAccountMust() throws Exception {
    String build = Files.readString(TEMPLATES.resolve("cloudbuild.yaml"));
    assertThat(build, containsString("\n  logging: CLOUD_LOGGING_ONLY\n"));
    // the uploaded source ages out of the templates bucket like Dataflow's temp files
    assertThat(
        Terraform.read(Terraform.DIR.resolve("storage.tf")),
        containsString("matches_prefix = [\"temp/\", \"source/\"]"));
  }
}
