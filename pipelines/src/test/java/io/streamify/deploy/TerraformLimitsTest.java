package io.streamify.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.streamify.generator.GeneratorCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * terraform/ against the limits Google's APIs and the provider document, checked offline as rules
 * rather than instances: every name generated from {@code var.name} is valid for the shortest and
 * longest name the variable accepts (with the shortest and longest project ID); regions of the
 * documented form are accepted; the scheduler stays paused until the templates exist; the stream
 * job waits for every grant to its account; Managed Kafka's memory rule holds at plan time.
 */
class TerraformLimitsTest {
  static Terraform tf;

  @BeforeAll
  static void read() throws Exception {
    tf = new Terraform();
  }

  /**
   * Each resource type's name attribute and its rule, as the documentation states it: service
   * account IDs (IAM, projects.serviceAccounts.create: 6-30 characters, the provider's check
   * ^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$); bucket names (Cloud Storage "Bucket names": 3-63
   * characters of lowercase letters, digits, dashes, underscores and dots, starting and ending with
   * a letter or digit, not containing "google"); Artifact Registry repository IDs and Managed Kafka
   * cluster IDs (lowercase letters, digits and hyphens, starting with a letter, ending with a
   * letter or digit, at most 63); Dataflow job names ([a-z]([-a-z0-9]{0,1022}[a-z0-9])?, the
   * Dataflow REST reference for Job.name); Cloud Scheduler job IDs (letters, digits, hyphens,
   * underscores, at most 500); Compute Engine resource names (RFC 1035, at most 63); Cloud Logging
   * metric names (at most 100 characters of A-Z a-z 0-9 and _-.,+!*'()%/).
   */
  static final Map<String, NameRule> RULES = new LinkedHashMap<>();

  record NameRule(String attribute, Pattern pattern) {}

  static {
    Pattern rfc1035 = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    RULES.put(
        "google_service_account",
        new NameRule("account_id", Pattern.compile("[a-z](?:[-a-z0-9]{4,28}[a-z0-9])")));
    RULES.put(
        "google_storage_bucket",
        new NameRule("name", Pattern.compile("(?!.*google)[a-z0-9][a-z0-9_.-]{1,61}[a-z0-9]")));
    RULES.put("google_artifact_registry_repository", new NameRule("repository_id", rfc1035));
    RULES.put("google_managed_kafka_cluster", new NameRule("cluster_id", rfc1035));
    RULES.put(
        "google_dataflow_flex_template_job",
        new NameRule("name", Pattern.compile("[a-z]([-a-z0-9]{0,1022}[a-z0-9])?")));
    RULES.put(
        "google_cloud_scheduler_job",
        new NameRule("name", Pattern.compile("[A-Za-z0-9_-]{1,500}")));
    for (String compute :
        List.of(
            "google_compute_network",
            "google_compute_subnetwork",
            "google_compute_firewall",
            "google_compute_router",
            "google_compute_router_nat",
            "google_compute_instance")) {
      RULES.put(compute, new NameRule("name", rfc1035));
    }
    RULES.put(
        "google_logging_metric",
        new NameRule("name", Pattern.compile("[A-Za-z0-9_\\-.,+!*'()%/]{1,100}")));
  }

  @Test
  void theNameVariableAcceptsExactlyTheNamesThatFitTheTightestLimit() {
    Pattern name = tf.validationRegex("name");
    String longest = "s" + "x".repeat(18) + "9";
    for (String ok : List.of("abc", "streamify", "my-app-2", longest)) {
      assertThat(ok, name.matcher(ok).matches(), is(true));
    }
    for (String bad :
        List.of("ab", longest + "x", "Streamify", "9lives", "trailing-", "under_score")) {
      assertThat(bad, name.matcher(bad).matches(), is(false));
    }
    // name-scheduler is the longest generated service account id: exactly 30 at the limit
    assertThat((longest + "-scheduler").length(), is(30));
    assertThat(
        tf.sources.get("variables.tf"), containsString("&& !strcontains(var.name, \"google\")"));
  }

  @Test
  void everyGeneratedNameIsValidForTheShortestAndLongestName() {
    Pattern project = tf.validationRegex("project_id");
    String shortProject = "abcdef";
    String longProject = "p" + "x".repeat(28) + "9";
    assertThat(
        project.matcher(shortProject).matches() && project.matcher(longProject).matches(),
        is(true));
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (String name : List.of("abc", "s" + "x".repeat(18) + "9")) {
      for (String projectId : List.of(shortProject, longProject)) {
        tf.overrides.clear();
        tf.overrides.put("name", name);
        tf.overrides.put("project_id", projectId);
        for (var rule : RULES.entrySet()) {
          List<String> resources = tf.resourceNames(rule.getKey());
          assertThat(rule.getKey() + " resources exist", resources.isEmpty(), is(false));
          for (String resource : resources) {
            String expr =
                tf.resourceAttribute(rule.getKey(), resource, rule.getValue().attribute());
            assertThat(
                rule.getKey() + "." + resource + " sets " + rule.getValue().attribute(),
                expr == null,
                is(false));
            String value = tf.eval(expr);
            checked++;
            if (!rule.getValue().pattern().matcher(value).matches()) {
              problems.add(
                  rule.getKey()
                      + "."
                      + resource
                      + " "
                      + rule.getValue().attribute()
                      + " = \""
                      + value
                      + "\" ("
                      + value.length()
                      + " characters)");
            }
          }
        }
        // the Dataflow job name Cloud Scheduler launches the hourly template under
        String hourlyJob = tf.eval("local.hourly_job_name");
        assertThat(
            tf.sources.get("scheduler.tf"),
            containsString("jobName              = local.hourly_job_name"));
        if (!RULES
            .get("google_dataflow_flex_template_job")
            .pattern()
            .matcher(hourlyJob)
            .matches()) {
          problems.add("hourly job name " + hourlyJob);
        }
      }
    }
    tf.overrides.clear();
    assertThat(problems, empty());
    assertThat(checked > 40, is(true));
  }

  @Test
  void regionsOfTheDocumentedFormAreAccepted() {
    Pattern region = tf.validationRegex("region");
    for (String ok :
        List.of(
            "europe-west1",
            "europe-west10",
            "europe-west12",
            "us-east5",
            "us-central1",
            "northamerica-northeast2",
            "southamerica-west1",
            "me-central2",
            "africa-south1",
            "asia-southeast2",
            "australia-southeast1")) {
      assertThat(ok, region.matcher(ok).matches(), is(true));
    }
    for (String bad : List.of("EU", "europe-west", "europe_west1", "europe-west1-b", "us")) {
      assertThat(bad, region.matcher(bad).matches(), is(false));
    }
  }

  @Test
  void theSchedulerIsPausedUntilTheTemplatesAreBuilt() {
    assertThat(
        tf.resourceAttribute("google_cloud_scheduler_job", "hourly", "paused"),
        equalTo("!var.templates_built"));
    assertThat(
        "the first apply has no templates yet", tf.variable("templates_built"), equalTo("false"));
    assertThat(
        tf.sources.get("dataflow.tf"),
        containsString("condition     = !var.start_stream_job || var.templates_built"));
  }

  @Test
  void theCatchUpNeverReachesAnExpiredPartition() {
    assertThat(
        tf.sources.get("scheduler.tf"),
        containsString(
            "condition     ="
                + " var.partition_expiration_days == 0 || var.hourly_catch_up_hours + 24 <="
                + " var.partition_expiration_days * 24"));
    assertThat(
        tf.resourceAttribute("google_bigquery_table", "tables", "deletion_protection"),
        equalTo("var.deletion_protection"));
    assertThat(
        tf.sources.get("bigquery.tf"),
        containsString(
            "expiration_ms ="
                + " var.partition_expiration_days > 0 ? var.partition_expiration_days * 86400000 :"
                + " null"));
  }

  @Test
  void theStreamJobWaitsForEveryGrantToItsAccount() {
    String dataflow = tf.sources.get("dataflow.tf");
    int job = dataflow.indexOf("resource \"google_dataflow_flex_template_job\" \"stream\"");
    String body = dataflow.substring(job, Terraform.blockEnd(dataflow, dataflow.indexOf('{', job)));
    String dependsOn = body.substring(body.indexOf("depends_on = ["));
    List<String> grants = new ArrayList<>();
    Matcher m =
        Pattern.compile("(?m)^resource \"(google_[a-z_]+_iam_member)\" \"([a-z_]+)\"")
            .matcher(tf.sources.get("iam.tf"));
    while (m.find()) {
      String member = tf.resourceAttribute(m.group(1), m.group(2), "member");
      if (member.contains("google_service_account.dataflow.email")) {
        grants.add(m.group(1) + "." + m.group(2));
      }
    }
    assertThat(grants.size() >= 6, is(true));
    for (String grant : grants) {
      assertThat(dependsOn, containsString(grant + ","));
    }
  }

  @Test
  void kafkaMemoryIsCheckedAgainstTheVcpuRuleAtPlanTime() {
    assertThat(
        tf.sources.get("kafka.tf"),
        containsString(
            "condition     = var.kafka_memory_gib"
                + " >= var.kafka_vcpu_count && var.kafka_memory_gib <= 8 * var.kafka_vcpu_count"));
    assertThat(
        tf.resourceAttribute("google_managed_kafka_cluster", "events", "cluster_id"),
        equalTo("\"${var.name}-kafka\""));
    List<String> vcpuMemory =
        List.of(tf.variable("kafka_vcpu_count"), tf.variable("kafka_memory_gib"));
    assertThat("the defaults keep the rule", vcpuMemory, equalTo(List.of("3", "3")));
    assertThat(
        List.of("var.kafka_memory_gib * 1073741824"),
        hasItem(
            tf.sources
                .get("kafka.tf")
                .lines()
                .filter(l -> l.contains("memory_bytes"))
                .map(l -> l.split("=")[1].strip())
                .findFirst()
                .orElseThrow()));
  }

  @Test
  void theImageRepositoryDeletesAllButTheNewestAndTheImageInUse() {
    String main = tf.sources.get("main.tf");
    int repo = main.indexOf("resource \"google_artifact_registry_repository\" \"templates\"");
    String body = main.substring(repo, Terraform.blockEnd(main, main.indexOf('{', repo)));
    // a KEEP policy alone deletes nothing: a DELETE policy over every version is what prunes
    assertThat(
        body,
        containsString(
            "action = \"DELETE\"\n    condition {\n      tag_state =" + " \"ANY\"\n    }"));
    assertThat(
        body,
        containsString(
            "most_recent_versions {\n      keep_count =" + " var.template_images_kept\n    }"));
    assertThat(body, containsString("tag_prefixes = [var.template_tag]"));
    assertThat(tf.variable("template_images_kept"), equalTo("10"));
    assertThat("every local is used", unusedLocals(), empty());
  }

  /** Locals defined but never referenced as local.NAME. */
  static List<String> unusedLocals() {
    String code = tf.code();
    List<String> unused = new ArrayList<>();
    Matcher locals = Pattern.compile("(?s)locals \\{(.*?)\n}").matcher(code);
    while (locals.find()) {
      Matcher name = Pattern.compile("(?m)^  ([a-z0-9_]+)\\s*=").matcher(locals.group(1));
      while (name.find()) {
        if (!code.contains("local." + name.group(1))) {
          unused.add(name.group(1));
        }
      }
    }
    return unused;
  }

  /**
   * The optional generator VM: off by default; its account's only project role is the Kafka
   * client's; no public IP; SSH only from IAP's TCP forwarding range (35.235.240.0/20, Google's
   * "Using IAP for TCP forwarding"); and the arguments its startup script gives the generator are
   * ones the generator accepts.
   */
  @Test
  void theGeneratorVmIsOffByDefaultReachableOnlyThroughIapAndRunsValidArguments() {
    assertThat(tf.variable("generator_enabled"), equalTo("false"));
    String gen = tf.sources.get("generator.tf");
    for (String r : tf.resourceNames("google_compute_instance")) {
      assertThat(
          tf.resourceAttribute("google_compute_instance", r, "count"),
          equalTo("var.generator_enabled ? 1 : 0"));
    }
    assertThat(
        "no access_config: no external IP",
        gen.lines()
            .filter(l -> !l.strip().startsWith("#"))
            .anyMatch(l -> l.contains("access_config")),
        is(false));
    assertThat(
        tf.resourceAttribute("google_compute_firewall", "generator_iap_ssh", "source_ranges"),
        equalTo("[\"35.235.240.0/20\"]"));
    assertThat(gen, containsString("    protocol = \"tcp\"\n    ports    = [\"22\"]\n"));
    assertThat(
        tf.resourceAttribute("google_compute_firewall", "generator_iap_ssh", "target_tags"),
        equalTo(tf.resourceAttribute("google_compute_instance", "generator", "tags")));
    assertThat(
        tf.resourceAttribute("google_project_iam_member", "generator_kafka", "role"),
        equalTo("\"roles/managedkafka.client\""));
    assertThat(
        gen,
        containsString(
            "condition     = var.kafka_mode == \"managed\" &&"
                + " var.kafka_bootstrap_address != \"\""));

    // the startup script, rendered with the configuration's values and run with fake docker
    // tools: the container gets exactly the arguments below, which the generator accepts
    String args =
        tf.eval(
            "\"--mode=continuous --sink=kafka --users=${var.generator_users}"
                + " --bootstrap-servers=bootstrap-abc.c0aad26f.europe-west1.managedkafka.s.cloud.goog:9092"
                + " -q --first-session-id=clock\"");
    for (String p : tf.eval("local.kafka_client_properties").split(",")) {
      args += " '--kafka-property=" + p + "'";
    }
    assertThat(
        gen,
        containsString(
            "\"--first-session-id=clock\",\n    ], [for p in split(\",\","
                + " local.kafka_client_properties) : \"'--kafka-property=${p}'\" if p != \"\"]"));
    Matcher heredoc =
        Pattern.compile("(?s)metadata_startup_script = <<-SCRIPT\n(.*?)\n\\s*SCRIPT\n")
            .matcher(gen);
    assertThat(heredoc.find(), is(true));
    String image = "europe-west1-docker.pkg.dev/p/streamify/streamify-generator:latest";
    String script =
        heredoc
            .group(1)
            .replaceAll("(?m)^    ", "")
            .replace("${var.region}", "europe-west1")
            .replace("${local.generator_image}", image)
            .replace("${local.generator_args}", args);
    assertThat(script.contains("${"), is(false));
    List<String> runArgs = runWithFakeDocker(script);
    assertThat(
        runArgs.subList(0, 7),
        equalTo(
            List.of(
                "run",
                "-d",
                "--name",
                "streamify-generator",
                "--restart=always",
                "--log-driver=gcplogs",
                image)));
    List<String> generatorArgs = runArgs.subList(7, runArgs.size());
    picocli.CommandLine.ParseResult parsed =
        new picocli.CommandLine(new GeneratorCli())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .parseArgs(generatorArgs.toArray(String[]::new));
    assertThat(parsed.matchedOptionValue("--mode", null).toString(), is("continuous"));
    assertThat(parsed.matchedOptionValue("--sink", null).toString(), is("kafka"));
    assertThat(parsed.matchedOptionValue("--first-session-id", ""), is("clock"));
    assertThat(
        generatorArgs,
        Matchers.hasItem(
            "--kafka-property=sasl.jaas.config="
                + "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;"));
    // a changed script replaces the VM (so it takes effect), a new machine type restarts it
    assertThat(
        tf.resourceAttribute("google_compute_instance", "generator", "allow_stopping_for_update"),
        equalTo("true"));
  }

  /** Runs a startup script with fake docker tools; the arguments of its {@code docker run}. */
  static List<String> runWithFakeDocker(String script) {
    try {
      Path dir = Files.createTempDirectory("startup");
      Path bin = Files.createDirectories(dir.resolve("bin"));
      Path calls = dir.resolve("docker-run");
      Files.writeString(
          bin.resolve("docker"),
          "#!/bin/sh\nif [ \"$1\" = run ]; then printf"
              + " '%s\\n' \"$@\" > '"
              + calls
              + "'; fi\nexit 0\n");
      Files.writeString(bin.resolve("docker-credential-gcr"), "#!/bin/sh\nexit 0\n");
      for (String tool : List.of("docker", "docker-credential-gcr")) {
        Files.setPosixFilePermissions(
            bin.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      Path file =
          Files.writeString(
              dir.resolve("startup.sh"),
              script.replace("/home/streamify", dir.resolve("home").toString()));
      ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true);
      pb.environment().put("PATH", bin + ":/usr/bin:/bin");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(out, p.waitFor(), is(0));
      return Files.readAllLines(calls);
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
