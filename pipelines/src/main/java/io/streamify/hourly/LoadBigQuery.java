package io.streamify.hourly;

import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobConfigurationQuery;
import com.google.api.services.bigquery.model.JobReference;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TimePartitioning;
import io.streamify.hourly.checks.DataQuality;
import io.streamify.hourly.checks.DataQualityException;
import io.streamify.lake.Hours;
import io.streamify.warehouse.BigQueryHourReplacement;
import io.streamify.warehouse.BigQueryWarehouse;
import io.streamify.warehouse.WarehouseTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.CreateDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.Method;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.WriteDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices.DatasetService;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices.JobService;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServicesImpl;
import org.apache.beam.sdk.io.gcp.bigquery.TableDestination;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.PInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a run's tables into BigQuery. Each hourly table's rows and the load manifests go into
 * staging tables of the run (created first, empty, expiring after a day; then load jobs append to
 * them); once every load succeeded, one multi-statement transaction replaces the run's hours in the
 * day-partitioned hourly tables and appends the manifests ({@link BigQueryHourReplacement}), and
 * the staging tables are dropped. Dimensions are loaded whole with WRITE_TRUNCATE. Tables are
 * created when missing, with the schema, DAY partitioning on ts and clustering of {@link
 * BigQueryWarehouse}. Nothing is loaded while a check of the model fails; an hour that fails a
 * check of its own is held back (not deleted, not replaced, no manifest) and fails the job once the
 * other hours are committed.
 *
 * <p>So a rerun replaces exactly its hours, an hour with no rows of a table becomes empty in it (as
 * on DuckDB), and an hour is "loaded" (has manifests) only if its rows are committed.
 */
public final class LoadBigQuery extends PTransform<PInput, PDone> {
  private static final long STAGING_LIFETIME_MS = 86_400_000L;

  /** Polls of the commit's job (Beam backs off between them, up to a minute apart). */
  private static final int POLL_ATTEMPTS = 2_000;

  private static final Logger LOG = LoggerFactory.getLogger(LoadBigQuery.class);

  private final Map<WarehouseTable, PCollection<GenericRecord>> tables;
  private final PCollectionTuple checked;
  private final String dataset;
  private final List<Long> hours;
  private final String runId;
  private final BigQueryServices testServices;

  /**
   * @param checked the data-quality outcome (see {@link DataQuality})
   * @param dataset {@code project:dataset}
   * @param hours the run's hours (epoch ms of their starts, UTC): those it replaces
   * @param runId the run, naming its staging tables
   * @param testServices fake BigQuery services for tests, or null
   */
  public LoadBigQuery(
      Map<WarehouseTable, PCollection<GenericRecord>> tables,
      PCollectionTuple checked,
      String dataset,
      List<Long> hours,
      String runId,
      BigQueryServices testServices) {
    this.tables = tables;
    this.checked = checked;
    this.dataset = dataset;
    this.hours = List.copyOf(hours);
    this.runId = runId;
    this.testServices = testServices;
  }

  /** Drops the rows of held hours: an hourly table's by ts, a log's by hour_start. */
  static final class WithoutHeldHoursFn extends DoFn<GenericRecord, GenericRecord> {
    private final String field;
    private final PCollectionView<List<Long>> held;

    WithoutHeldHoursFn(String field, PCollectionView<List<Long>> held) {
      this.field = field;
      this.held = held;
    }

    @ProcessElement
    public void process(@Element GenericRecord row, ProcessContext c) {
      long t = (Long) row.get(field);
      if (!c.sideInput(held).contains(t - Math.floorMod(t, Hours.MILLIS))) {
        c.output(row);
      }
    }
  }

  /** All failure lines in one, in order. */
  static final class Joined extends Combine.BinaryCombineFn<String> {
    @Override
    public String apply(String a, String b) {
      return a.compareTo(b) <= 0 ? a + "\n  " + b : b + "\n  " + a;
    }
  }

  /** Fails the run on any failure line; otherwise emits nothing, and Wait.on lets loads go. */
  static final class StopFn extends DoFn<String, Void> {
    @ProcessElement
    public void process(@Element String failed) {
      throw new DataQualityException(List.of(failed));
    }
  }

  /** The tables staged per run: the hourly ones and the logs (the manifests). */
  static boolean staged(WarehouseTable t) {
    return t.kind() == WarehouseTable.Kind.HOURLY || t.kind() == WarehouseTable.Kind.LOG;
  }

  /** BigQuery's services: the test's fakes, or the real ones. */
  static BigQueryServices services(BigQueryServices testServices) {
    return testServices != null ? testServices : new BigQueryServicesImpl();
  }

  /**
   * Creates the warehouse's hourly and log tables when missing, and the run's staging tables, empty
   * (replacing any of a failed attempt), expiring after a day.
   */
  static final class CreateStagingFn extends DoFn<Integer, Integer> {
    private final String dataset;
    private final String runId;
    private final BigQueryServices testServices;

    CreateStagingFn(String dataset, String runId, BigQueryServices testServices) {
      this.dataset = dataset;
      this.runId = runId;
      this.testServices = testServices;
    }

    @ProcessElement
    public void process(ProcessContext c) throws Exception {
      BigQueryOptions options = c.getPipelineOptions().as(BigQueryOptions.class);
      try (DatasetService ds = services(testServices).getDatasetService(options)) {
        for (WarehouseTable t : WarehouseTable.values()) {
          if (!staged(t)) {
            continue;
          }
          // the table the transaction inserts into (Terraform makes them; a bare dataset too)
          TableReference target = stagingRef(dataset, runId, t).setTableId(t.tableName());
          if (ds.getTable(target) == null) {
            ds.createTable(
                new Table()
                    .setTableReference(target)
                    .setSchema(BigQueryWarehouse.tableSchema(t))
                    .setTimePartitioning(BigQueryWarehouse.partitioning(t))
                    .setClustering(BigQueryWarehouse.clustering(t))
                    .setDescription(t.description()));
          }
          TableReference ref = stagingRef(dataset, runId, t);
          if (ds.getTable(ref) != null) {
            ds.deleteTable(ref);
          }
          ds.createTable(
              new Table()
                  .setTableReference(ref)
                  .setSchema(BigQueryWarehouse.tableSchema(t))
                  .setDescription("Staged rows of hourly run " + runId + " (LoadBigQuery)")
                  .setExpirationTime(System.currentTimeMillis() + STAGING_LIFETIME_MS));
        }
      }
      c.output(1);
    }
  }

  /**
   * Runs the run's transaction (the hours not held back) and drops its staging tables; a failed
   * transaction changes nothing and fails the job with BigQuery's error.
   */
  static final class CommitFn extends DoFn<Integer, Integer> {
    private final String dataset;
    private final String runId;
    private final List<Long> hours;
    private final PCollectionView<List<Long>> held;
    private final BigQueryServices testServices;

    CommitFn(
        String dataset,
        String runId,
        List<Long> hours,
        PCollectionView<List<Long>> held,
        BigQueryServices testServices) {
      this.dataset = dataset;
      this.runId = runId;
      this.hours = hours;
      this.held = held;
      this.testServices = testServices;
    }

    @ProcessElement
    public void process(ProcessContext c) throws Exception {
      List<Long> replaced = new ArrayList<>(hours);
      replaced.removeAll(c.sideInput(held));
      String[] pd = dataset.split(":", 2);
      String script = BigQueryHourReplacement.script(pd[0], pd[1], runId, replaced);
      BigQueryOptions options = c.getPipelineOptions().as(BigQueryOptions.class);
      BigQueryServices services = services(testServices);
      String location;
      try (DatasetService ds = services.getDatasetService(options)) {
        // a job in a single-region dataset is only found (polled) with its location
        var d = ds.getDataset(pd[0], pd[1]);
        location = d == null ? null : d.getLocation();
      }
      try (JobService jobs = services.getJobService(options)) {
        JobReference job =
            new JobReference()
                .setProjectId(pd[0])
                .setLocation(location == null || location.isEmpty() ? null : location)
                .setJobId(
                    "streamify_commit_"
                        + runId.replaceAll("[^A-Za-z0-9_-]", "_")
                        + "_"
                        + UUID.randomUUID().toString().substring(0, 8));
        jobs.startQueryJob(
            job, new JobConfigurationQuery().setQuery(script).setUseLegacySql(false));
        Job done = jobs.pollJob(job, POLL_ATTEMPTS);
        if (done == null
            || done.getStatus() == null
            || !"DONE".equals(done.getStatus().getState())) {
          throw new IllegalStateException(
              "the commit of run "
                  + runId
                  + " did not finish: "
                  + (done == null ? "no job" : done.getStatus()));
        }
        if (done.getStatus().getErrorResult() != null) {
          throw new IllegalStateException(
              "the commit of run "
                  + runId
                  + " failed, nothing"
                  + " changed: "
                  + done.getStatus().getErrorResult().getMessage());
        }
      }
      // Best effort: they expire within a day anyway. A failure here must not fail (and so
      // retry) a run whose hours are committed; a retry before this point re-runs the same
      // transaction on the same staged rows, which replaces the same hours with the same rows.
      try (DatasetService ds = services.getDatasetService(options)) {
        for (WarehouseTable t : WarehouseTable.values()) {
          if (staged(t)) {
            TableReference ref = stagingRef(dataset, runId, t);
            if (ds.getTable(ref) != null) {
              ds.deleteTable(ref);
            }
          }
        }
      } catch (Exception e) {
        LOG.warn(
            "run {} committed; its staging tables were not all dropped (they expire within"
                + " a day): {}",
            runId,
            e.toString());
      }
      c.output(1);
    }
  }

  static TableReference stagingRef(String dataset, String runId, WarehouseTable t) {
    String[] pd = dataset.split(":", 2);
    return new TableReference()
        .setProjectId(pd[0])
        .setDatasetId(pd[1])
        .setTableId(BigQueryHourReplacement.stagingTable(runId, t));
  }

  @Override
  public PDone expand(PInput input) {
    PCollection<Void> passed =
        checked
            .get(DataQuality.FAILURES)
            .apply("Failures", Combine.globally(new Joined()).withoutDefaults())
            .apply("Stop on failure", ParDo.of(new StopFn()));
    PCollectionView<List<Long>> held =
        checked.get(DataQuality.HELD_HOURS).apply("Held hours", View.asList());
    Pipeline p = input.getPipeline();
    PCollection<Integer> stagingCreated =
        p.apply("Run", Create.of(1))
            .apply("After checks", Wait.on(passed))
            .apply(
                "Create staging tables",
                ParDo.of(new CreateStagingFn(dataset, runId, testServices)));
    List<PCollection<?>> loaded = new ArrayList<>();
    for (var e : tables.entrySet()) {
      WarehouseTable t = e.getKey();
      PCollection<GenericRecord> rows = rowsToLoad(t, e.getValue(), held);
      if (staged(t)) {
        loaded.add(
            rows.apply("After staging " + t.tableName(), Wait.on(stagingCreated))
                .setCoder(e.getValue().getCoder())
                .apply("Stage " + t.tableName(), stage(t))
                .getSuccessfulTableLoads());
      } else {
        loaded.add(
            rows.apply("After checks " + t.tableName(), Wait.on(passed))
                .setCoder(e.getValue().getCoder())
                .apply("Load " + t.tableName(), whole(t))
                .getSuccessfulTableLoads());
      }
    }
    // The hours and their manifests in one transaction, once every load job has succeeded.
    PCollection<Integer> committed =
        stagingCreated
            .apply("After loads", Wait.on(loaded))
            .apply(
                "Commit hours",
                ParDo.of(new CommitFn(dataset, runId, hours, held, testServices))
                    .withSideInputs(held));
    // Hours held back fail the job, once the others are committed: the alert and the next run
    // see it.
    checked
        .get(DataQuality.HOUR_FAILURES)
        .apply("After the commit", Wait.on(committed))
        .setCoder(checked.get(DataQuality.HOUR_FAILURES).getCoder())
        .apply("Hour failures", Combine.globally(new Joined()).withoutDefaults())
        .apply("Fail for held hours", ParDo.of(new StopFn()));
    return PDone.in(p);
  }

  /** A table's rows without those of held hours (dimensions whole). */
  private static PCollection<GenericRecord> rowsToLoad(
      WarehouseTable t, PCollection<GenericRecord> rows, PCollectionView<List<Long>> held) {
    if (t.kind() == WarehouseTable.Kind.DIMENSION) {
      return rows;
    }
    return rows.apply(
            "Not held " + t.tableName(),
            ParDo.of(
                    new WithoutHeldHoursFn(
                        t.kind() == WarehouseTable.Kind.LOG ? "hour_start" : "ts", held))
                .withSideInputs(held))
        .setCoder(rows.getCoder());
  }

  private BigQueryIO.Write<GenericRecord> base(WarehouseTable t) {
    Schema avro = t.schema();
    BigQueryIO.Write<GenericRecord> write =
        BigQueryIO.writeGenericRecords()
            .withMethod(Method.FILE_LOADS)
            .useAvroLogicalTypes()
            .withAvroSchemaFactory(tableSchema -> avro)
            .withSchema(BigQueryWarehouse.tableSchema(t));
    return testServices == null ? write : write.withTestServices(testServices).withoutValidation();
  }

  /** Appended to the run's staging table, which exists (CREATE_NEVER), empty, by then. */
  private BigQueryIO.Write<GenericRecord> stage(WarehouseTable t) {
    TableReference ref = stagingRef(dataset, runId, t);
    TableDestination staging = new TableDestination(ref, "staged rows of run " + runId);
    return base(t)
        .to(row -> staging)
        .withCreateDisposition(CreateDisposition.CREATE_NEVER)
        .withWriteDisposition(WriteDisposition.WRITE_APPEND);
  }

  /** A dimension, whole (WRITE_TRUNCATE); the table is created when missing. */
  private BigQueryIO.Write<GenericRecord> whole(WarehouseTable t) {
    TableDestination whole =
        new TableDestination(
            dataset + "." + t.tableName(),
            t.description(),
            (TimePartitioning) null,
            BigQueryWarehouse.clustering(t));
    return base(t)
        .to(row -> whole)
        .withCreateDisposition(CreateDisposition.CREATE_IF_NEEDED)
        .withWriteDisposition(WriteDisposition.WRITE_TRUNCATE);
  }
}
