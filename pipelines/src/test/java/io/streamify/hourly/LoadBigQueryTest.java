package io.streamify.hourly;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobConfigurationLoad;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableSchema;
import io.streamify.warehouse.BigQueryHourReplacement;
import io.streamify.warehouse.BigQueryWarehouse;
import io.streamify.warehouse.WarehouseTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BigQuery path without GCP: the hand-made lake through the hourly pipeline against Beam's fake
 * BigQuery services, whose job service also runs the commit transaction (ScriptingFakeJobService).
 * The rows that land are those DuckDB gets from the same lake; a rerun replaces its hours; a failed
 * commit changes nothing.
 */
class LoadBigQueryTest {
  static final String PROJECT = "streamify-test";
  static final String DATASET = "warehouse";
  static final long H12 = Instant.parse("2026-11-23T12:00:00Z").toEpochMilli();
  static final long H13 = Instant.parse("2026-11-23T13:00:00Z").toEpochMilli();

  @TempDir Path dir;
  FakeDatasetService datasets;
  ScriptingFakeJobService jobs;
  FakeBigQueryServices services;

  @BeforeEach
  void fakes() throws Exception {
    HourlyPipelineTest.lake().writeTo(dir.resolve("lake"));
    FakeDatasetService.setUp();
    ScriptingFakeJobService.setUp();
    ScriptingFakeJobService.SCRIPTS.clear();
    ScriptingFakeJobService.failWhenContains = null;
    datasets = new FakeDatasetService();
    jobs = new ScriptingFakeJobService();
    datasets.createDataset(PROJECT, DATASET, "", "", null);
    services = new FakeBigQueryServices().withDatasetService(datasets).withJobService(jobs);
  }

  void run(String runId, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--runner=DirectRunner",
                "--lake=" + dir.resolve("lake"),
                "--warehouse=" + PROJECT + ":" + DATASET,
                "--tempLocation=" + dir.resolve("tmp")));
    all.addAll(List.of(args));
    HourlyPipeline.Options o = HourlyPipeline.options(all.toArray(String[]::new));
    HourlyPipeline.pipeline(o, LoadPlan.of(HourlyPipeline.hours(o, Instant.now())), runId, services)
        .run()
        .waitUntilFinish();
  }

  /** Rows per table in the fake dataset (missing tables absent). */
  Map<String, Integer> bigQueryCounts() throws Exception {
    Map<String, Integer> counts = new TreeMap<>();
    for (WarehouseTable t : WarehouseTable.values()) {
      if (datasets.getTable(
              new TableReference()
                  .setProjectId(PROJECT)
                  .setDatasetId(DATASET)
                  .setTableId(t.tableName()))
          != null) {
        counts.put(t.tableName(), datasets.getAllRows(PROJECT, DATASET, t.tableName()).size());
      }
    }
    return counts;
  }

  /** The same lake and hours into DuckDB: rows per table. */
  Map<String, Integer> duckDbCounts(String... args) throws Exception {
    Path w = dir.resolve("w.duckdb");
    List<String> all =
        new ArrayList<>(
            List.of("--runner=DirectRunner", "--lake=" + dir.resolve("lake"), "--warehouse=" + w));
    all.addAll(List.of(args));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        HourlyCommand.run(
            all.toArray(String[]::new), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(err.toString(StandardCharsets.UTF_8), code, is(0));
    Map<String, Integer> counts = new TreeMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + w);
        Statement s = c.createStatement()) {
      for (WarehouseTable t : WarehouseTable.values()) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + t.tableName())) {
          rs.next();
          counts.put(t.tableName(), rs.getInt(1));
        }
      }
    }
    return counts;
  }

  @Test
  void hoursAreStagedThenReplacedInOneTransactionAndDimensionsLoadedWhole() throws Exception {
    run("test", "--hour=2026-11-23T13");

    List<String> loads = new ArrayList<>();
    Map<String, JobConfigurationLoad> byTable = new TreeMap<>();
    for (Job job : jobs.getAllJobs()) {
      JobConfigurationLoad load = job.getConfiguration().getLoad();
      if (load == null) {
        continue;
      }
      String table = load.getDestinationTable().getTableId();
      loads.add(
          table
              + " "
              + load.getWriteDisposition()
              + " "
              + load.getCreateDisposition()
              + " "
              + load.getSourceFormat());
      byTable.put(table.replace("_staging_test_", ""), load);
    }
    String staged = " WRITE_APPEND CREATE_NEVER AVRO";
    String whole = " WRITE_TRUNCATE CREATE_IF_NEEDED AVRO";
    assertThat(
        loads,
        containsInAnyOrder(
            "_staging_test_listen_events" + staged,
            "_staging_test_page_view_events" + staged,
            "_staging_test_auth_events" + staged,
            "_staging_test_status_change_events" + staged,
            "_staging_test_fact_streams" + staged,
            "_staging_test_fact_page_views" + staged,
            "_staging_test_fact_logins" + staged,
            "_staging_test_fact_subscription_changes" + staged,
            "_staging_test_load_manifests" + staged,
            "dim_users" + whole,
            "dim_songs" + whole,
            "dim_artists" + whole,
            "dim_location" + whole,
            "dim_datetime" + whole));
    // Every table has its schema as BigQueryWarehouse derives it (a dimension's load carries
    // it; a staged table's is the table's, created before the load), and loads read Avro's
    // logical types.
    for (var e : byTable.entrySet()) {
      WarehouseTable t = WarehouseTable.valueOf(e.getKey().toUpperCase(Locale.ROOT));
      List<String> got = new ArrayList<>();
      TableSchema schema =
          e.getValue().getSchema() != null
              ? e.getValue().getSchema()
              : datasets
                  .getTable(
                      new TableReference()
                          .setProjectId(PROJECT)
                          .setDatasetId(DATASET)
                          .setTableId(t.tableName()))
                  .getSchema();
      for (TableFieldSchema f : schema.getFields()) {
        got.add(f.getName() + " " + f.getType() + " " + f.getMode());
      }
      List<String> want = new ArrayList<>();
      for (TableFieldSchema f : BigQueryWarehouse.tableSchema(t).getFields()) {
        want.add(f.getName() + " " + f.getType() + " " + f.getMode());
      }
      assertThat(t.tableName(), got, equalTo(want));
      assertThat(t.tableName(), e.getValue().getUseAvroLogicalTypes(), is(true));
    }

    // one transaction: the run's two hours out of every hourly table, the staged rows in
    assertThat(
        ScriptingFakeJobService.SCRIPTS,
        equalTo(
            List.of(BigQueryHourReplacement.script(PROJECT, DATASET, "test", List.of(H12, H13)))));
    String script = ScriptingFakeJobService.SCRIPTS.get(0);
    assertThat(
        script,
        containsString(
            "DELETE FROM `streamify-test.warehouse.listen_events` WHERE"
                + " (ts >= TIMESTAMP '2026-11-23 12:00:00+00' AND ts < TIMESTAMP '2026-11-23"
                + " 14:00:00+00');\nINSERT INTO `streamify-test.warehouse.listen_events` ("));
    assertThat(
        script,
        containsString(
            " FROM `streamify-test.warehouse._staging_test_load"
                + "_manifests`;\nCOMMIT TRANSACTION;\n"));

    // the same rows as DuckDB gets from the same lake, the hourly tables day-partitioned
    Map<String, Integer> bigQuery = bigQueryCounts();
    assertThat(bigQuery, equalTo(duckDbCounts("--hour=2026-11-23T13")));
    assertThat(bigQuery.get("listen_events"), is(8));
    assertThat(bigQuery.get("fact_page_views"), is(18));
    assertThat(bigQuery.get("dim_users"), is(9));
    assertThat(bigQuery.get("load_manifests"), is(8));
    assertThat(
        datasets
            .getTable(
                new TableReference()
                    .setProjectId(PROJECT)
                    .setDatasetId(DATASET)
                    .setTableId("fact_streams"))
            .getTimePartitioning()
            .getType(),
        is("DAY"));
    // and the run's staging tables are gone
    for (WarehouseTable t : WarehouseTable.values()) {
      assertThat(
          t.tableName(),
          datasets.getTable(
              new TableReference()
                  .setProjectId(PROJECT)
                  .setDatasetId(DATASET)
                  .setTableId(BigQueryHourReplacement.stagingTable("test", t))),
          is((Object) null));
    }
  }

  @Test
  void aRerunReplacesItsHoursAndAFailedCommitChangesNothing() throws Exception {
    run("first", "--hour=2026-11-23T13");
    Map<String, Integer> first = bigQueryCounts();
    run("again", "--hour=2026-11-23T13", "--lookbackHours=0");
    Map<String, Integer> again = bigQueryCounts();
    // hour 13 replaced, not added: the same rows, and the manifests of its tables appended
    Map<String, Integer> expected = new TreeMap<>(first);
    int hour13Manifests = again.get("load_manifests") - first.get("load_manifests");
    assertThat(hour13Manifests > 0 && hour13Manifests < first.get("load_manifests"), is(true));
    expected.put("load_manifests", again.get("load_manifests"));
    assertThat(again, equalTo(expected));

    ScriptingFakeJobService.failWhenContains = "_staging_broken_";
    try {
      run("broken", "--hour=2026-11-23T13", "--lookbackHours=0");
      throw new AssertionError("a failed commit must fail the run");
    } catch (RuntimeException e) {
      assertThat(
          String.valueOf(e.getMessage()),
          containsString(
              "the commit of run broken"
                  + " failed, nothing changed: Transaction is aborted due to concurrent update"));
    }
    assertThat(bigQueryCounts(), equalTo(again));
  }
}
