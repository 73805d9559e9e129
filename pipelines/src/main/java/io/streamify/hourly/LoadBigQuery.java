package io.streamify.hourly;

import io.streamify.warehouse.BigQueryWarehouse;
import io.streamify.warehouse.WarehouseTable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.CreateDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.Method;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.WriteDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.TableDestination;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.ValueInSingleWindow;

/**
 * Loads a run's tables into BigQuery with load jobs (FILE_LOADS): each hourly table's rows into
 * the partition of their hour ({@code table$YYYYMMDDHH}) with WRITE_TRUNCATE, so a rerun replaces
 * the hour; each dimension whole with WRITE_TRUNCATE. Tables are created when missing, with the
 * schema, HOUR partitioning on ts and clustering of {@link BigQueryWarehouse}. Nothing is loaded
 * while a check of the model fails; an hour that fails a check of its own is held back (its rows
 * and manifest not loaded) and fails the job once the other hours are loaded.
 *
 * <p>A processed hour that has no rows of a table issues no load job for it, so rows an earlier
 * run loaded there stay (the lake only grows, so in practice a rerun never has fewer rows).
 * The load manifests are appended (WRITE_APPEND) only after every other load job succeeded.
 */
public final class LoadBigQuery extends PTransform<PInput, PDone> {
  private static final DateTimeFormatter PARTITION =
      DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);

  private final Map<WarehouseTable, PCollection<GenericRecord>> tables;
  private final PCollectionTuple checked;
  private final String dataset;
  private final BigQueryServices testServices;

  /**
   * @param checked the data-quality outcome (see {@link DataQuality})
   * @param dataset {@code project:dataset}
   * @param testServices fake BigQuery services for tests, or null
   */
  public LoadBigQuery(Map<WarehouseTable, PCollection<GenericRecord>> tables,
      PCollectionTuple checked, String dataset, BigQueryServices testServices) {
    this.tables = tables;
    this.checked = checked;
    this.dataset = dataset;
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

  /** The partition an hourly table's row is loaded into: {@code project:dataset.table$YYYYMMDDHH}. */
  public static String partition(String dataset, WarehouseTable t, long ts) {
    return dataset + "." + t.tableName() + "$" + PARTITION.format(Instant.ofEpochMilli(ts));
  }

  @Override
  public PDone expand(PInput input) {
    PCollection<Void> passed = checked.get(DataQuality.FAILURES)
        .apply("Failures", Combine.globally(new Joined()).withoutDefaults())
        .apply("Stop on failure", ParDo.of(new StopFn()));
    PCollectionView<List<Long>> held = checked.get(DataQuality.HELD_HOURS)
        .apply("Held hours", View.asList());
    List<PCollection<?>> loaded = new ArrayList<>();
    for (var e : tables.entrySet()) {
      WarehouseTable t = e.getKey();
      if (t.kind() != WarehouseTable.Kind.LOG) {
        loaded.add(rowsToLoad(t, e.getValue(), held)
            .apply("After checks " + t.tableName(), Wait.on(passed))
            .setCoder(e.getValue().getCoder())
            .apply("Load " + t.tableName(), write(t))
            .getSuccessfulTableLoads());
      }
    }
    // The manifests say an hour is loaded: appended only once every load job has succeeded.
    List<PCollection<?>> appended = new ArrayList<>();
    for (var e : tables.entrySet()) {
      WarehouseTable t = e.getKey();
      if (t.kind() == WarehouseTable.Kind.LOG) {
        appended.add(rowsToLoad(t, e.getValue(), held)
            .apply("After loads " + t.tableName(), Wait.on(loaded))
            .setCoder(e.getValue().getCoder())
            .apply("Append " + t.tableName(), write(t))
            .getSuccessfulTableLoads());
      }
    }
    // Hours held back fail the job, once the others are loaded: the alert and the next run see it.
    checked.get(DataQuality.HOUR_FAILURES)
        .apply("After the loads", Wait.on(appended))
        .setCoder(checked.get(DataQuality.HOUR_FAILURES).getCoder())
        .apply("Hour failures", Combine.globally(new Joined()).withoutDefaults())
        .apply("Fail for held hours", ParDo.of(new StopFn()));
    return PDone.in(input.getPipeline());
  }

  /** A table's rows without those of held hours (dimensions whole). */
  private static PCollection<GenericRecord> rowsToLoad(WarehouseTable t,
      PCollection<GenericRecord> rows, PCollectionView<List<Long>> held) {
    if (t.kind() == WarehouseTable.Kind.DIMENSION) {
      return rows;
    }
    return rows.apply("Not held " + t.tableName(), ParDo.of(new WithoutHeldHoursFn(
            t.kind() == WarehouseTable.Kind.LOG ? "hour_start" : "ts", held))
            .withSideInputs(held))
        .setCoder(rows.getCoder());
  }

  /**
   * A table's load: an hourly table's rows into their hour's partition, a dimension whole, both
   * WRITE_TRUNCATE; a log appended (WRITE_APPEND). The destination carries partitioning and
   * clustering, for a table the load creates.
   */
  private BigQueryIO.Write<GenericRecord> write(WarehouseTable t) {
    Schema avro = t.schema();
    String description = t.description();
    String ds = dataset;
    BigQueryIO.Write<GenericRecord> write = BigQueryIO.writeGenericRecords()
        .withMethod(Method.FILE_LOADS)
        .useAvroLogicalTypes()
        .withAvroSchemaFactory(tableSchema -> avro)
        .withSchema(BigQueryWarehouse.tableSchema(t))
        .withCreateDisposition(CreateDisposition.CREATE_IF_NEEDED)
        .withWriteDisposition(t.kind() == WarehouseTable.Kind.LOG
            ? WriteDisposition.WRITE_APPEND : WriteDisposition.WRITE_TRUNCATE);
    if (t.kind() == WarehouseTable.Kind.HOURLY) {
      SerializableFunction<ValueInSingleWindow<GenericRecord>, TableDestination> hour =
          row -> new TableDestination(partition(ds, t, (Long) row.getValue().get("ts")),
              description, BigQueryWarehouse.partitioning(t), BigQueryWarehouse.clustering(t));
      write = write.to(hour);
    } else {
      TableDestination whole = new TableDestination(dataset + "." + t.tableName(), description,
          (com.google.api.services.bigquery.model.TimePartitioning) null,
          BigQueryWarehouse.clustering(t));
      write = write.to(row -> whole);
    }
    return testServices == null ? write : write.withTestServices(testServices)
        .withoutValidation();
  }
}
