package io.streamify.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.streamify.hourly.LoadPlan;
import io.streamify.lake.Hours;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * terraform/monitoring.tf, offline: the log-based metric reads the backlog line the hourly job
 * prints (its extractor run here, in Java, on lines the job's own code writes), and the alert
 * policies watch that metric, its absence, and failed hourly Dataflow jobs, with the scheduler's
 * job name, notifying the configured channels.
 */
class MonitoringTest {
  /** The line's format, as the hourly pipeline's catch-up prints it (issue 10). */
  static final String SAMPLE =
      "streamify hourly: backlog: hours_pending=3 oldest_pending_minutes=125";

  static Terraform tf;

  @BeforeAll
  static void read() throws Exception {
    tf = new Terraform();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> resource(String type, String name) {
    Map<String, Object> named = (Map<String, Object>) tf.blocks("resource").get(type);
    assertThat(type + " exists", named != null, is(true));
    Map<String, Object> body = (Map<String, Object>) named.get(name);
    assertThat(type + "." + name + " exists", body != null, is(true));
    return body;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> conditions(String policy) {
    Object c = resource("google_monitoring_alert_policy", policy).get("conditions");
    return c instanceof List<?> l
        ? (List<Map<String, Object>>) l
        : List.of((Map<String, Object>) c);
  }

  /** The source text of one resource block. */
  static String block(String type, String name) {
    String text = tf.sources.get("monitoring.tf");
    int start = text.indexOf("resource \"" + type + "\" \"" + name + "\" {");
    assertThat(type + "." + name + " in monitoring.tf", start >= 0, is(true));
    return text.substring(start, Terraform.blockEnd(text, text.indexOf('{', start)));
  }

  /** The elements of a local defined as join(" AND ", [ "...", ... ]), evaluated. */
  static List<String> joinedLocal(String name) {
    String text = tf.sources.get("monitoring.tf");
    Matcher m = Pattern.compile("(?m)^\\s*" + name + " = join\\(\" AND \", \\[\\n").matcher(text);
    assertThat("local " + name + " is a join of terms", m.find(), is(true));
    List<String> terms = new ArrayList<>();
    for (String line : text.substring(m.end(), text.indexOf("])", m.end())).split("\n")) {
      String t = line.strip();
      if (t.isEmpty()) {
        continue;
      }
      terms.add(tf.eval(t.substring(0, t.length() - 1))); // drop the trailing comma
    }
    return terms;
  }

  /** The regex of REGEXP_EXTRACT(field, "regex"), as the Logging API receives it. */
  static Matcher extractor() {
    String extractor =
        (String) resource("google_logging_metric", "hourly_backlog").get("value_extractor");
    Matcher m = Pattern.compile("^REGEXP_EXTRACT\\(([A-Za-z.]+), \"(.*)\"\\)$").matcher(extractor);
    assertThat(extractor, m.matches(), is(true));
    return m;
  }

  @Test
  void theSampleIsTheLineTheHourlyJobPrints() {
    long h0 = Hours.parse("2026-11-23T10").toEpochMilli();
    List<Long> pending = List.of(h0, h0 + Hours.MILLIS, h0 + 2 * Hours.MILLIS);
    // the oldest pending hour ended at 11:00; 125 minutes later
    Instant now = Instant.ofEpochMilli(h0 + Hours.MILLIS + 125 * 60_000L + 30_000);
    assertThat(
        new LoadPlan(pending, Map.of(), Optional.empty(), 3).backlogLine(now), equalTo(SAMPLE));
  }

  @Test
  void theLogMetricExtractsTheOldestPendingMinutesFromTheBacklogLine() {
    Matcher extractor = extractor();
    String field = extractor.group(1);
    Pattern regex = Pattern.compile(extractor.group(2));
    // RE2 syntax (no look-around, no back references) and exactly one capture group
    assertThat(extractor.group(2), not(containsString("(?=")));
    assertThat(extractor.group(2), not(containsString("(?!")));
    assertThat(extractor.group(2), not(containsString("(?<")));
    assertThat(Pattern.compile("\\\\[1-9]").matcher(extractor.group(2)).find(), is(false));
    assertThat(regex.matcher("").groupCount(), is(1));

    long h0 = Hours.parse("2026-11-23T10").toEpochMilli();
    Map<String, String> lines =
        new TreeMap<>(
            Map.of(
                SAMPLE,
                "125",
                LoadPlan.of(List.of()).backlogLine(Instant.now()),
                "0",
                new LoadPlan(List.of(h0), Map.of(), Optional.empty(), 40)
                    .backlogLine(Instant.ofEpochMilli(h0 + 3 * 24 * Hours.MILLIS)),
                "4260"));
    assertThat(
        lines.keySet(),
        hasItems(
            "streamify hourly: backlog: hours_pending=0 oldest_pending_minutes=0",
            "streamify hourly: backlog: hours_pending=40 oldest_pending_minutes=4260"));
    lines.forEach(
        (line, minutes) -> {
          // whether the API matches the whole field or searches in it, it extracts the minutes
          Matcher whole = regex.matcher(line);
          assertThat(line, whole.matches(), is(true));
          assertThat(whole.group(1), is(minutes));
          Matcher part = regex.matcher(line);
          assertThat(line, part.find(), is(true));
          assertThat(part.group(1), is(minutes));
          assertThat(Double.parseDouble(part.group(1)), is(Double.valueOf(minutes)));
        });
    // hours_pending is not taken for the minutes
    Matcher m =
        regex.matcher("streamify hourly: backlog: hours_pending=7 oldest_pending_minutes=9");
    assertThat(m.matches() && m.group(1).equals("9"), is(true));

    // the filter selects the backlog line by the same field the extractor reads
    List<String> filter = joinedLocal("hourly_backlog_filter");
    assertThat(filter, hasItems(field + ":\"streamify hourly: backlog:\""));
    assertThat(SAMPLE, containsString("streamify hourly: backlog:"));
    assertThat(
        "streamify hourly: loading 2026-11-23T10",
        not(containsString("streamify hourly: backlog:")));
  }

  @Test
  void theLogMetricReadsTheHourlyJobsLauncherLog() {
    assertThat(
        joinedLocal("hourly_backlog_filter"),
        equalTo(
            List.of(
                "resource.type=\"dataflow_step\"",
                "resource.labels.job_name=\"streamify-hourly\"",
                "logName=\"projects/my-streamify-project/logs/dataflow.googleapis.com%2Flauncher\"",
                "jsonPayload.message:\"streamify hourly: backlog:\"")));
    // the job name is the one Cloud Scheduler launches
    Map<String, String> launch = tf.localMap("launchParameter");
    assertThat(tf.eval(launch.get("jobName")), is("streamify-hourly"));

    Map<String, Object> metric = resource("google_logging_metric", "hourly_backlog");
    assertThat(metric.get("metric_descriptor").toString(), containsString("metric_kind=DELTA"));
    assertThat(
        metric.get("metric_descriptor").toString(), containsString("value_type=DISTRIBUTION"));
    assertThat(
        block("google_logging_metric", "hourly_backlog"),
        containsString("filter      = local.hourly_backlog_filter\n"));
    assertThat(
        tf.localExpression("hourly_backlog_metric"),
        is("\"logging.googleapis.com/user/${google_logging_metric.hourly_backlog.name}\""));
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyThresholdTheVariableAdmitsIsABucketBoundaryOfTheMetric() {
    Map<String, Object> linear =
        (Map<String, Object>)
            ((Map<String, Object>)
                    resource("google_logging_metric", "hourly_backlog").get("bucket_options"))
                .get("linear_buckets");
    double offset = (Double) linear.get("offset");
    double width = (Double) linear.get("width");
    double buckets = (Double) linear.get("num_finite_buckets");
    Matcher validation =
        Pattern.compile(
                "condition\\s+= var\\.hourly_unloaded_alert_minutes >= "
                    + "(\\d+) && var\\.hourly_unloaded_alert_minutes <= (\\d+) && "
                    + "var\\.hourly_unloaded_alert_minutes % (\\d+) == 0\n")
            .matcher(tf.sources.get("variables.tf"));
    assertThat(validation.find(), is(true));
    int min = Integer.parseInt(validation.group(1));
    int max = Integer.parseInt(validation.group(2));
    int step = Integer.parseInt(validation.group(3));
    int threshold = Integer.parseInt(tf.variable("hourly_unloaded_alert_minutes"));
    assertThat(threshold >= min && threshold <= max && threshold % step == 0, is(true));
    for (int t = min; t <= max; t += step) {
      double k = (t - offset) / width;
      assertThat(t + " is a bucket boundary", k == Math.rint(k) && k >= 1 && k < buckets, is(true));
      // the absence condition's duration (t minutes) stays under a day
      assertThat(t * 60 < 24 * 3600, is(true));
    }
    // a healthy run sees its oldest pending hour about 70 minutes after its end (60 minutes of
    // allowed lateness, then the run at 10 past): the smallest threshold is above that
    assertThat(min > 70, is(true));
    Matcher cron = Pattern.compile("^(\\d+) ").matcher(tf.variable("hourly_schedule"));
    assertThat(cron.find() && 60 + Integer.parseInt(cron.group(1)) < min, is(true));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theAlertPoliciesWatchTheBacklogItsSilenceAndFailedJobs() {
    Map<String, Object> policies =
        (Map<String, Object>) tf.blocks("resource").get("google_monitoring_alert_policy");
    assertThat(
        policies.keySet(), equalTo(Set.of("hourly_backlog", "hourly_silent", "hourly_failed")));
    for (String p : policies.keySet()) {
      String text = block("google_monitoring_alert_policy", p);
      assertThat(
          p, text, containsString("notification_channels = var.alert_notification_channels\n"));
      assertThat(p, text, containsString("combiner              = \"OR\"\n"));
      assertThat(p, text, containsString("mime_type = \"text/markdown\""));
      assertThat(p, text, containsString("depends_on = [google_project_service.apis]"));
      assertThat(p, conditions(p).size(), is(1));
    }
    String metric = "metric.type=\\\"${local.hourly_backlog_metric}\\\"";

    // 1. the oldest pending hour's minutes above the threshold
    String backlog = block("google_monitoring_alert_policy", "hourly_backlog");
    assertThat(backlog, containsString("filter          = \"" + metric + "\"\n"));
    assertThat(backlog, containsString("comparison      = \"COMPARISON_GT\"\n"));
    assertThat(backlog, containsString("threshold_value = var.hourly_unloaded_alert_minutes\n"));
    Map<String, Object> threshold =
        (Map<String, Object>) conditions("hourly_backlog").get(0).get("condition_threshold");
    Map<String, Object> aggregation = (Map<String, Object>) threshold.get("aggregations");
    // a distribution is read through a percentile aligner (numeric), then reduced across jobs
    assertThat(aggregation.get("per_series_aligner"), is("ALIGN_PERCENTILE_99"));
    assertThat(aggregation.get("cross_series_reducer"), is("REDUCE_MAX"));
    assertThat(aggregation.get("alignment_period"), is("3600s"));

    // 2. the same metric absent for as long
    String silent = block("google_monitoring_alert_policy", "hourly_silent");
    assertThat(silent, containsString("condition_absent {"));
    assertThat(silent, containsString("filter   = \"" + metric + "\"\n"));
    assertThat(
        silent, containsString("duration = \"${var.hourly_unloaded_alert_minutes * 60}s\"\n"));
    Map<String, Object> absent =
        (Map<String, Object>) conditions("hourly_silent").get(0).get("condition_absent");
    Map<String, Object> reduce = (Map<String, Object>) absent.get("aggregations");
    assertThat(reduce.get("cross_series_reducer"), is("REDUCE_MAX")); // one series, all jobs
    assertThat(reduce.containsKey("group_by_fields"), is(false));

    // 3. a failed Dataflow job of the scheduler's job name
    assertThat(
        joinedLocal("hourly_failed_filter"),
        equalTo(
            List.of(
                "metric.type=\"dataflow.googleapis.com/job/is_failed\"",
                "resource.type=\"dataflow_job\"",
                "resource.label.job_name=\"streamify-hourly\"")));
    String failed = block("google_monitoring_alert_policy", "hourly_failed");
    assertThat(failed, containsString("filter          = local.hourly_failed_filter\n"));
    assertThat(failed, containsString("threshold_value = 0\n"));
    assertThat(failed, containsString("per_series_aligner = \"ALIGN_MAX\"\n"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theNotificationChannelsVariableTakesChannelNamesAndDefaultsToNone() {
    Map<String, Object> v =
        (Map<String, Object>) tf.blocks("variable").get("alert_notification_channels");
    assertThat(v.get("default"), equalTo(List.of()));
    assertThat(
        String.valueOf(v.get("description")),
        containsString("gcloud beta monitoring channels create"));
    Matcher regex =
        Pattern.compile("can\\(regex\\(\"([^\"]+)\", c\\)\\)")
            .matcher(tf.sources.get("variables.tf"));
    assertThat(regex.find(), is(true));
    Pattern channel = Pattern.compile(regex.group(1));
    assertThat(
        channel.matcher("projects/my-streamify-project/notificationChannels/1234567890").matches(),
        is(true));
    for (String bad :
        List.of(
            "1234567890",
            "you@example.com",
            "projects/p/notificationChannels/",
            "notificationChannels/123")) {
      assertThat(bad, channel.matcher(bad).matches(), is(false));
    }
  }

  @Test
  void theApisMonitoringNeedsAreEnabled() {
    String main = tf.sources.get("main.tf");
    String apis = main.substring(main.indexOf("resource \"google_project_service\" \"apis\""));
    assertThat(apis, containsString("\"logging.googleapis.com\",\n"));
    assertThat(apis, containsString("\"monitoring.googleapis.com\",\n"));
    assertThat(
        block("google_logging_metric", "hourly_backlog"),
        containsString("depends_on = [google_project_service.apis]"));
  }
}
