package io.streamify.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamify.hourly.HourlyPipeline;
import io.streamify.templates.TemplateMetadata;
import io.streamify.templates.TemplateMetadataTest;
import io.streamify.warehouse.BigQueryWarehouse;
import io.streamify.warehouse.WarehouseSql;
import io.streamify.warehouse.WarehouseTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * terraform/, offline: every file parses; references resolve (variables, locals, resources, files);
 * the BigQuery tables and views are those of the pipelines' one schema definition; the IAM roles
 * are exactly the least-privilege set; and what Cloud Scheduler and the stream job pass to the
 * templates is what the templates declare, with values their regexes accept.
 */
class TerraformTest {
  static Terraform tf;

  @BeforeAll
  static void read() throws Exception {
    tf = new Terraform();
  }

  static Set<String> matches(String regex, String text, int group) {
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      out.add(m.group(group));
    }
    return out;
  }

  @Test
  void everyFileParsesAndIsLaidOutLikeTerraformFmt() throws Exception {
    assertThat(
        tf.sources.keySet(),
        equalTo(
            new TreeSet<>(
                List.of(
                    "bigquery.tf",
                    "dataflow.tf",
                    "generator.tf",
                    "iam.tf",
                    "kafka.tf",
                    "main.tf",
                    "monitoring.tf",
                    "network.tf",
                    "outputs.tf",
                    "scheduler.tf",
                    "storage.tf",
                    "variables.tf",
                    "versions.tf"))));
    for (var e : tf.sources.entrySet()) {
      String text = e.getValue();
      assertThat(e.getKey() + " ends with a newline", text.endsWith("\n"), is(true));
      assertThat(e.getKey() + " has tabs", text.contains("\t"), is(false));
      assertThat(
          e.getKey() + " has trailing spaces",
          Pattern.compile("(?m)[ ]+$").matcher(text).find(),
          is(false));
      assertThat(
          e.getKey() + " indents by two",
          Pattern.compile("(?m)^( {2})* [^ ]").matcher(text).find(),
          is(false));
    }
    // Where Terraform itself is installed (not in CI: it is neither a Debian package nor on
    // Maven Central or npm), its formatter has the last word.
    Path terraform =
        Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
            .map(d -> Path.of(d, "terraform"))
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    if (terraform != null) {
      Process fmt =
          new ProcessBuilder(
                  terraform.toString(), "fmt", "-check", "-recursive", Terraform.DIR.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(fmt.getInputStream().readAllBytes());
      assertThat(fmt.waitFor(60, TimeUnit.SECONDS), is(true));
      assertThat("terraform fmt -check: " + out, fmt.exitValue(), is(0));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void variablesLocalsResourcesAndFilesResolve() {
    String code = tf.code();
    Map<String, Object> variables = tf.blocks("variable");
    Set<String> usedVars = matches("\\bvar\\.([a-z0-9_]+)", code, 1);
    assertThat(
        "used but not declared",
        new TreeSet<>(usedVars) {
          {
            removeAll(variables.keySet());
          }
        },
        empty());
    assertThat(
        "declared but never used",
        new TreeSet<>(variables.keySet()) {
          {
            removeAll(usedVars);
          }
        },
        empty());
    variables.forEach(
        (name, v) -> {
          Map<String, Object> decl = (Map<String, Object>) v;
          assertThat(
              name + " has a description",
              String.valueOf(decl.get("description")).length() > 20,
              is(true));
          assertThat(name + " has a type", decl.containsKey("type"), is(true));
        });
    tf.tfvars
        .keySet()
        .forEach(
            k ->
                assertThat(
                    "tfvars example sets an unknown variable " + k,
                    variables.containsKey(k),
                    is(true)));

    Set<String> locals = new TreeSet<>();
    tf.parsed
        .values()
        .forEach(
            f -> {
              Object l = f.get("locals");
              if (l instanceof Map<?, ?> m) {
                m.keySet().forEach(k -> locals.add((String) k));
              }
            });
    Set<String> usedLocals = matches("\\blocal\\.([a-z0-9_]+)", code, 1);
    usedLocals.forEach(l -> assertThat("local." + l + " is defined", locals.contains(l), is(true)));

    Set<String> declared = new TreeSet<>();
    tf.blocks("resource")
        .forEach(
            (type, named) ->
                ((Map<String, Object>) named).keySet().forEach(n -> declared.add(type + "." + n)));
    tf.blocks("data")
        .forEach(
            (type, named) ->
                ((Map<String, Object>) named)
                    .keySet()
                    .forEach(n -> declared.add("data." + type + "." + n)));
    Set<String> referenced = new TreeSet<>();
    Matcher m =
        Pattern.compile("(data\\.)?\\b((?:google|terraform)_[a-z_]+)\\.([a-z0-9_]+)").matcher(code);
    while (m.find()) {
      if (!code.substring(Math.max(0, m.start() - 9), m.start()).contains("resource")) {
        referenced.add((m.group(1) == null ? "" : "data.") + m.group(2) + "." + m.group(3));
      }
    }
    referenced.forEach(r -> assertThat(r + " is declared", declared.contains(r), is(true)));
    assertThat(referenced.toString(), referenced.size() >= 15, is(true));

    for (String file : matches("file\\(\"\\$\\{path\\.module}/([^\"]+)\"\\)", code, 1)) {
      // the views' files are named by for_each over local.warehouse_views
      List<String> each = file.contains("${each.value}") ? WarehouseSql.VIEWS : List.of("");
      for (String v : each) {
        Path f = Terraform.DIR.resolve(file.replace("${each.value}", v));
        assertThat(f + " exists", Files.exists(f), is(true));
      }
    }
    ((Map<String, Object>) (Object) tf.blocks("output"))
        .forEach(
            (name, o) ->
                assertThat(
                    "output " + name + " has a description",
                    ((Map<String, Object>) o).containsKey("description"),
                    is(true)));
  }

  @Test
  void bigQueryTablesAndViewsAreThoseOfTheSchemaDefinition() throws Exception {
    String bq = tf.sources.get("bigquery.tf");
    assertThat(
        bq, containsString("jsondecode(file(\"${path.module}/../sql/bigquery/tables.json\"))"));
    assertThat(bq, containsString("for_each = local.warehouse_tables"));
    JsonNode tables =
        new ObjectMapper().readTree(Terraform.DIR.resolve("../sql/bigquery/tables.json").toFile());
    assertThat(
        Terraform.read(Terraform.DIR.resolve("../sql/bigquery/tables.json")),
        equalTo(WarehouseSql.bigQueryTablesJson()));
    Set<String> names = new TreeSet<>();
    tables.fieldNames().forEachRemaining(names::add);
    assertThat(
        names,
        equalTo(
            Arrays.stream(WarehouseTable.values())
                .map(WarehouseTable::tableName)
                .collect(Collectors.toCollection(TreeSet::new))));
    assertThat(bq, containsString("type          = \"" + BigQueryWarehouse.PARTITION_TYPE + "\""));
    assertThat(bq, containsString("field         = \"ts\""));
    assertThat(
        tf.localExpression("warehouse_views"),
        equalTo(
            WarehouseSql.VIEWS.stream()
                .map(v -> "\"" + v + "\"")
                .collect(Collectors.joining(", ", "[", "]"))));
    assertThat(
        bq,
        containsString(
            "replace(file(\"${path.module}/../sql/views/${each.value}.sql\"),"
                + " \"{{dataset}}\""));
  }

  @Test
  @SuppressWarnings("unchecked")
  void iamRolesAreExactlyTheLeastPrivilegeSet() {
    String code = tf.code();
    Set<String> grants = new TreeSet<>();
    tf.blocks("resource")
        .forEach(
            (type, named) -> {
              assertThat(
                  type,
                  not(
                      Pattern.compile("_iam_(binding|policy)$|^google_service_account_key$")
                          .matcher(type)
                          .find()));
              if (!type.endsWith("_iam_member")) {
                return;
              }
              ((Map<String, Object>) named)
                  .forEach(
                      (name, body) -> {
                        Map<String, Object> b = (Map<String, Object>) body;
                        String member = String.valueOf(b.get("member"));
                        String who =
                            member.contains("google_service_account.dataflow")
                                ? "dataflow"
                                : member.contains("google_service_account.scheduler")
                                    ? "scheduler"
                                    : member.contains("google_service_account.build")
                                        ? "build"
                                        : member.contains("google_service_account.generator")
                                            ? "generator"
                                            : member;
                        String role = String.valueOf(b.get("role"));
                        List<String> roles = new ArrayList<>();
                        if (role.startsWith("roles/")) {
                          roles.add(role);
                        } else {
                          // for_each over local.dataflow_project_roles
                          String iam = tf.sources.get("iam.tf");
                          int start = iam.indexOf("dataflow_project_roles = ");
                          roles.addAll(
                              matches(
                                  "\"(roles/[A-Za-z.]+)\"",
                                  iam.substring(start, iam.indexOf("\n}", start)),
                                  1));
                        }
                        roles.forEach(
                            r ->
                                grants.add(
                                    who
                                        + " "
                                        + r
                                        + " on "
                                        + type.replace("google_", "").replace("_iam_member", "")));
                      });
            });
    assertThat(
        grants,
        equalTo(
            new TreeSet<>(
                List.of(
                    "dataflow roles/dataflow.worker on project",
                    "dataflow roles/bigquery.jobUser on project",
                    "dataflow roles/viewer on project",
                    "dataflow roles/managedkafka.client on project",
                    "dataflow roles/storage.objectAdmin on storage_bucket",
                    "dataflow roles/bigquery.dataEditor on bigquery_dataset",
                    "dataflow roles/artifactregistry.reader on artifact_registry_repository",
                    "dataflow roles/secretmanager.secretAccessor on secret_manager_secret",
                    "scheduler roles/dataflow.developer on project",
                    "scheduler roles/iam.serviceAccountUser on service_account",
                    "scheduler roles/storage.objectViewer on storage_bucket",
                    "build roles/artifactregistry.writer on artifact_registry_repository",
                    "build roles/storage.objectAdmin on storage_bucket",
                    "build roles/logging.logWriter on project",
                    "generator roles/managedkafka.client on project",
                    "generator roles/logging.logWriter on project",
                    "generator roles/artifactregistry.reader on artifact_registry_repository"))));
    assertThat(code, not(containsString("roles/owner")));
    assertThat(code, not(containsString("roles/editor")));
  }

  @Test
  void schedulerLaunchesTheHourlyTemplateWithParametersItDeclares() throws Exception {
    Map<String, Pattern> hourly = TemplateMetadataTest.regexes(TemplateMetadata.hourlyPipeline());
    Map<String, String> params = tf.localMap("hourly_parameters");
    // Catch-up: no hour and no fromHour, so every closed hour not loaded yet is loaded, oldest
    // first; lookbackHours only applies with an explicit hour, so the body does not give it.
    assertThat(
        params.keySet(), equalTo(Set.of("lake", "warehouse", "catchUpHours", "maxHoursPerRun")));
    for (var e : params.entrySet()) {
      String value = tf.eval(e.getValue());
      assertThat(
          e.getKey() + " is a parameter of the hourly template",
          hourly.containsKey(e.getKey()),
          is(true));
      assertThat(
          e.getKey() + "=" + value + " passes its regex",
          hourly.get(e.getKey()).matcher(value).matches(),
          is(true));
    }
    assertThat(tf.eval(params.get("lake")), is("gs://my-streamify-project-streamify-lake/lake"));
    assertThat(tf.eval(params.get("warehouse")), is("my-streamify-project:streamify"));
    assertThat(tf.eval(params.get("catchUpHours")), is("168"));
    assertThat(tf.eval(params.get("maxHoursPerRun")), is("24"));

    String scheduler = tf.sources.get("scheduler.tf");
    assertThat(scheduler, containsString("/locations/${var.region}/flexTemplates:launch\""));
    assertThat(scheduler, containsString("oauth_token {"));
    assertThat(scheduler, containsString("retry_config {"));
    assertThat(scheduler, containsString("body = base64encode(jsonencode(local.hourly_launch))"));
    Matcher spec =
        Pattern.compile(
                "containerSpecGcsPath = \"gs://\\$\\{local.templates_bucket}"
                    + "/templates/\\$\\{var.template_tag}/([a-z-]+\\.json)\"")
            .matcher(scheduler);
    assertThat(spec.find(), is(true));
    // the spec Cloud Build writes
    assertThat(
        Terraform.read(Terraform.DIR.resolve("../templates/cloudbuild.yaml")),
        containsString("gs://${_TEMPLATE_BUCKET}/templates/${_TAG}/" + spec.group(1)));
    // a few minutes past every hour, when the stream job has closed the hour
    String schedule = tf.variable("hourly_schedule");
    Matcher cron = Pattern.compile("^(\\d+) \\* \\* \\* \\*$").matcher(schedule);
    assertThat(schedule, cron.matches(), is(true));
    int minute = Integer.parseInt(cron.group(1));
    assertThat(schedule, minute >= 5 && minute <= 30, is(true));
  }

  /**
   * Every value the catch-up variables' validations let through is one the template's regexes and
   * the pipeline's own option checks accept, and lookback is gone from the deployment.
   */
  @Test
  void theCatchUpVariablesOnlyAdmitValuesTheHourlyPipelineAccepts() throws Exception {
    Map<String, Pattern> hourly = TemplateMetadataTest.regexes(TemplateMetadata.hourlyPipeline());
    Map<String, String> option =
        Map.of(
            "hourly_catch_up_hours", "catchUpHours", "hourly_max_hours_per_run", "maxHoursPerRun");
    String variables = tf.sources.get("variables.tf");
    for (var e : option.entrySet()) {
      Matcher bounds =
          Pattern.compile(
                  "condition\\s+= var\\."
                      + e.getKey()
                      + " >= (\\d+) && var\\."
                      + e.getKey()
                      + " <= (\\d+) && floor\\(var\\."
                      + e.getKey()
                      + "\\) == var\\."
                      + e.getKey()
                      + "\n")
              .matcher(variables);
      assertThat(
          e.getKey() + " is validated as a whole number in a range", bounds.find(), is(true));
      for (String v : List.of(bounds.group(1), bounds.group(2), tf.variable(e.getKey()))) {
        assertThat(e.getValue() + "=" + v, hourly.get(e.getValue()).matcher(v).matches(), is(true));
        HourlyPipeline.Options o =
            PipelineOptionsFactory.fromArgs(
                    "--lake=gs://b/lake",
                    "--warehouse=my-project:streamify",
                    "--" + e.getValue() + "=" + v)
                .withValidation()
                .as(HourlyPipeline.Options.class);
        HourlyPipeline.validate(o);
      }
      assertThat(bounds.group(1), is("1"));
    }
    assertThat(
        tf.blocks("variable").keySet().stream().filter(v -> v.contains("lookback")).toList(),
        empty());
    assertThat(
        Terraform.read(Terraform.DIR.resolve("terraform.tfvars.example")),
        not(containsString("lookback")));
    assertThat(tf.code(), not(containsString("lookback")));
  }

  @Test
  void theStreamJobPassesParametersItsTemplateDeclares() throws Exception {
    Map<String, Pattern> stream = TemplateMetadataTest.regexes(TemplateMetadata.streamPipeline());
    String dataflow = tf.sources.get("dataflow.tf");
    Set<String> keys =
        matches(
            "(?m)^\\s+([A-Za-z]+)\\s+= local\\.",
            dataflow.substring(
                dataflow.indexOf("stream_parameters = merge("),
                dataflow.indexOf("resource \"" + "google_dataflow_flex_template_job")),
            1);
    assertThat(
        keys,
        equalTo(Set.of("bootstrapServers", "lake", "kafkaProperties", "kafkaPropertiesSecret")));
    keys.forEach(k -> assertThat(k, stream.containsKey(k), is(true)));
    // Managed Kafka: the address the cluster reports (the API's example of its current form),
    // never one assembled by hand; nothing until it is given
    assertThat(tf.eval("local.kafka_bootstrap_servers"), is(""));
    assertThat(tf.code(), not(containsString(".managedkafka.${var.project_id}")));
    String reported =
        "bootstrap-nol2mecj8p94jhx2ge2rg54579a.c0aad26f.europe-west1"
            + ".managedkafka.s.cloud.goog";
    Pattern address = tf.validationRegex("kafka_bootstrap_address");
    assertThat(address.matcher(reported).matches(), is(true));
    assertThat(
        address
            .matcher("bootstrap.my-cluster.us-central1.managedkafka.my-project" + ".cloud.goog")
            .matches(),
        is(true));
    assertThat(address.matcher(reported + ":9092").matches(), is(false));
    tf.overrides.put("kafka_bootstrap_address", reported);
    String bootstrap = tf.eval("local.kafka_bootstrap_servers");
    tf.overrides.clear();
    assertThat(bootstrap, is(reported + ":9092"));
    assertThat(stream.get("bootstrapServers").matcher(bootstrap).matches(), is(true));
    assertThat(stream.get("lake").matcher(tf.eval("local.lake_url")).matches(), is(true));
    String props = tf.eval("local.kafka_client_properties");
    assertThat(stream.get("kafkaProperties").matcher(props).matches(), is(true));
    assertThat(props, containsString("sasl.mechanism=OAUTHBEARER"));
    assertThat(
        tf.sources.get("dataflow.tf"),
        containsString(
            "container_spec_gcs_path = \"gs://${local.templates_bucket}/templates/${var.template_tag}"
                + "/stream-pipeline.json\""));
  }
}
