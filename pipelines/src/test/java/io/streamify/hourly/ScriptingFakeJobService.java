package io.streamify.hourly;

import com.google.api.services.bigquery.model.ErrorProto;
import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobConfiguration;
import com.google.api.services.bigquery.model.JobConfigurationQuery;
import com.google.api.services.bigquery.model.JobReference;
import com.google.api.services.bigquery.model.JobStatus;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;

/**
 * Beam's fake job service, plus the one kind of script the hourly load runs
 * (BigQueryHourReplacement): {@code DELETE FROM t WHERE (ts >= TIMESTAMP '…' AND ts < …) OR …} and
 * {@code INSERT INTO t (a, b) SELECT a, b FROM s} (the same columns, in order), applied to the fake
 * tables, all or nothing. Any other statement fails the job, so the load cannot rely on SQL this
 * fake does not run. Every script is kept, for the test to read.
 */
final class ScriptingFakeJobService extends FakeJobService {
  static final List<String> SCRIPTS = Collections.synchronizedList(new ArrayList<>());

  /** Scripts that fail, by a substring: a failed commit changes nothing. */
  static volatile String failWhenContains;

  private static final Map<String, Job> DONE = new ConcurrentHashMap<>();
  private static final Pattern TABLE = Pattern.compile("`([^.`]+)\\.([^.`]+)\\.([^`]+)`");
  private static final Pattern RANGE =
      Pattern.compile("\\(ts >= TIMESTAMP '([^']+)\\+00' AND ts < TIMESTAMP '([^']+)\\+00'\\)");
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  @Override
  public void startQueryJob(JobReference jobRef, JobConfigurationQuery query) {
    String script = query.getQuery();
    if (!script.startsWith("BEGIN TRANSACTION;")) {
      super.startQueryJob(jobRef, query);
      return;
    }
    SCRIPTS.add(script);
    JobStatus status = new JobStatus().setState("DONE");
    try {
      if (failWhenContains != null && script.contains(failWhenContains)) {
        throw new IllegalStateException("Transaction is aborted due to concurrent update");
      }
      run(script);
    } catch (Exception e) {
      status.setErrorResult(new ErrorProto().setMessage(e.getMessage()));
    }
    DONE.put(
        jobRef.getJobId(),
        new Job()
            .setJobReference(jobRef)
            .setStatus(status)
            .setConfiguration(new JobConfiguration().setQuery(query)));
  }

  @Override
  public Job pollJob(JobReference jobRef, int maxAttempts) throws InterruptedException {
    Job done = DONE.get(jobRef.getJobId());
    return done != null ? done : super.pollJob(jobRef, maxAttempts);
  }

  /** Applies the statements to copies of the tables, then swaps them in: all or nothing. */
  private static synchronized void run(String script) throws Exception {
    FakeDatasetService ds = new FakeDatasetService();
    Map<String, List<TableRow>> changed = new LinkedHashMap<>();
    Map<String, TableReference> refs = new HashMap<>();
    List<String> statements = List.of(script.split(";\n"));
    for (String st : statements) {
      String s = st.strip();
      if (s.isEmpty() || s.equals("BEGIN TRANSACTION") || s.equals("COMMIT TRANSACTION")) {
        continue;
      }
      Matcher t = TABLE.matcher(s);
      if (!t.find()) {
        throw new IllegalArgumentException("no table in: " + s);
      }
      TableReference target =
          new TableReference()
              .setProjectId(t.group(1))
              .setDatasetId(t.group(2))
              .setTableId(t.group(3));
      String key = t.group(3);
      refs.put(key, target);
      if (ds.getTable(target) == null) {
        throw new IllegalArgumentException("Not found: Table " + key);
      }
      List<TableRow> rows =
          changed.containsKey(key)
              ? changed.get(key)
              : new ArrayList<>(ds.getAllRows(t.group(1), t.group(2), key));
      if (s.startsWith("DELETE FROM ")) {
        List<long[]> ranges = new ArrayList<>();
        Matcher r = RANGE.matcher(s);
        while (r.find()) {
          ranges.add(new long[] {millis(r.group(1)), millis(r.group(2))});
        }
        if (ranges.isEmpty()
            || !s.matches(
                "DELETE FROM `[^`]+` WHERE (\\(ts >= [^)]+\\))( OR" + " \\(ts >= [^)]+\\))*")) {
          throw new IllegalArgumentException("unsupported DELETE: " + s);
        }
        rows.removeIf(
            row ->
                ranges.stream()
                    .anyMatch(
                        g -> {
                          long ts = ts(row);
                          return ts >= g[0] && ts < g[1];
                        }));
      } else if (s.startsWith("INSERT INTO ")
          && t.find()
          && s.matches("INSERT INTO `[^`]+` \\(([A-Za-z_, ]+)\\) SELECT \\1 FROM `[^`]+`")) {
        TableReference source =
            new TableReference()
                .setProjectId(t.group(1))
                .setDatasetId(t.group(2))
                .setTableId(t.group(3));
        if (ds.getTable(source) == null) {
          throw new IllegalArgumentException("Not found: Table " + t.group(3));
        }
        rows.addAll(ds.getAllRows(t.group(1), t.group(2), t.group(3)));
      } else {
        throw new IllegalArgumentException("unsupported statement: " + s);
      }
      changed.put(key, rows);
    }
    for (var e : changed.entrySet()) {
      TableReference ref = refs.get(e.getKey());
      Table table = ds.getTable(ref);
      ds.deleteTable(ref);
      ds.createTable(table);
      if (!e.getValue().isEmpty()) {
        ds.insertAll(ref, e.getValue(), null);
      }
    }
  }

  private static long millis(String ts) {
    return LocalDateTime.parse(ts, TS).toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  /** A row's ts as the fake stores an Avro timestamp-millis: a number or a date-time text. */
  static long ts(TableRow row) {
    Object v = row.get("ts");
    if (v instanceof Number n) {
      return n.longValue() > 100_000_000_000_000L ? n.longValue() / 1000 : n.longValue();
    }
    String s = String.valueOf(v);
    if (s.matches("-?\\d+(\\.\\d+)?")) {
      double d = Double.parseDouble(s);
      return d > 1e14 ? (long) (d / 1000) : d > 1e11 ? (long) d : (long) (d * 1000);
    }
    String iso = s.replace(" UTC", "Z").replace(' ', 'T');
    return Instant.parse(iso.endsWith("Z") ? iso : iso + "Z").toEpochMilli();
  }
}
