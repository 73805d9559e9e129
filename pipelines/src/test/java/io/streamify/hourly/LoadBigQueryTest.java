package io.streamify.hourly;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobConfigurationLoad;
import com.google.api.services.bigquery.model.TableFieldSchema;
import io.streamify.warehouse.BigQueryWarehouse;
import io.streamify.warehouse.WarehouseTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BigQuery path without GCP: the hand-made lake through the hourly pipeline against Beam's
 * fake BigQuery services; the load jobs it issues are checked one by one.
 */
class LoadBigQueryTest {
  static final String PROJECT = "streamify-test";
  static final String DATASET = "warehouse";

  @Test
  void eachHourGoesToItsPartitionWithWriteTruncateAndDimensionsWhole(@TempDir Path dir)
      throws Exception {
    Path lake = dir.resolve("lake");
    HourlyPipelineTest.lake().writeTo(lake);
    FakeDatasetService.setUp();
    FakeJobService.setUp();
    FakeDatasetService datasets = new FakeDatasetService();
    FakeJobService jobs = new FakeJobService();
    datasets.createDataset(PROJECT, DATASET, "", "", null);
    FakeBigQueryServices services = new FakeBigQueryServices().withDatasetService(datasets)
        .withJobService(jobs);

    HourlyPipeline.Options o = PipelineOptionsFactory.fromArgs("--runner=DirectRunner",
        "--lake=" + lake, "--warehouse=" + PROJECT + ":" + DATASET, "--hour=2026-11-23T13",
        "--tempLocation=" + dir.resolve("tmp")).withValidation().as(HourlyPipeline.Options.class);
    HourlyPipeline.validate(o);
    HourlyPipeline.localDefaults(o, new String[0]);
    Pipeline p = Pipeline.create(o);
    HourlyPipeline.build(p, o, HourlyPipeline.hours(o, java.time.Instant.now()), "test",
        services);
    p.run().waitUntilFinish();

    List<String> loads = new ArrayList<>();
    Map<String, JobConfigurationLoad> byTable = new TreeMap<>();
    for (Job job : jobs.getAllJobs()) {
      JobConfigurationLoad load = job.getConfiguration().getLoad();
      if (load == null) {
        continue;
      }
      String table = load.getDestinationTable().getTableId();
      loads.add(load.getDestinationTable().getProjectId() + ":"
          + load.getDestinationTable().getDatasetId() + "." + table + " "
          + load.getWriteDisposition() + " " + load.getCreateDisposition() + " "
          + load.getSourceFormat() + (load.getTimePartitioning() == null ? ""
          : " " + load.getTimePartitioning().getType() + "(" + load.getTimePartitioning()
          .getField() + ")"));
      byTable.put(table.replaceAll("\\$.*", ""), load);
    }
    String pre = PROJECT + ":" + DATASET + ".";
    String hourly = " WRITE_TRUNCATE CREATE_IF_NEEDED AVRO HOUR(ts)";
    String whole = " WRITE_TRUNCATE CREATE_IF_NEEDED AVRO";
    assertThat(loads, containsInAnyOrder(
        pre + "listen_events$2026112312" + hourly, pre + "listen_events$2026112313" + hourly,
        pre + "page_view_events$2026112312" + hourly,
        pre + "page_view_events$2026112313" + hourly, pre + "auth_events$2026112313" + hourly,
        pre + "status_change_events$2026112313" + hourly,
        pre + "fact_streams$2026112312" + hourly, pre + "fact_streams$2026112313" + hourly,
        pre + "fact_page_views$2026112312" + hourly,
        pre + "fact_page_views$2026112313" + hourly, pre + "fact_logins$2026112313" + hourly,
        pre + "fact_subscription_changes$2026112313" + hourly,
        pre + "dim_users" + whole, pre + "dim_songs" + whole, pre + "dim_artists" + whole,
        pre + "dim_location" + whole, pre + "dim_datetime" + whole,
        // after every other load succeeded: one manifest row per hour and source table
        pre + "load_manifests WRITE_APPEND CREATE_IF_NEEDED AVRO"));

    // Every load carries the table's schema as BigQueryWarehouse derives it, logical types on.
    for (WarehouseTable t : WarehouseTable.values()) {
      JobConfigurationLoad load = byTable.get(t.tableName());
      if (t == WarehouseTable.REJECTS) {
        assertThat("this lake has nothing to reject", load, is((JobConfigurationLoad) null));
        continue;
      }
      List<String> got = new ArrayList<>();
      for (TableFieldSchema f : load.getSchema().getFields()) {
        got.add(f.getName() + " " + f.getType() + " " + f.getMode());
      }
      List<String> want = new ArrayList<>();
      for (TableFieldSchema f : BigQueryWarehouse.tableSchema(t).getFields()) {
        want.add(f.getName() + " " + f.getType() + " " + f.getMode());
      }
      assertThat(t.tableName(), got, equalTo(want));
      assertThat(t.tableName(), load.getUseAvroLogicalTypes(), is(true));
    }
    assertThat(datasets.getAllRows(PROJECT, DATASET, "dim_users").size(), is(9));
    assertThat(datasets.getAllRows(PROJECT, DATASET, "load_manifests").size(), is(8));
  }
}
