package io.streamify.hourly;

import io.streamify.hourly.checks.DataQuality;
import io.streamify.hourly.checks.DataQualityException;
import io.streamify.lake.Hours;
import io.streamify.lake.ParquetSink;
import io.streamify.warehouse.DuckDbWarehouse;
import io.streamify.warehouse.WarehouseTable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Loads a run's tables into the local DuckDB warehouse: each table is staged as Parquet next to the
 * database file, then one step replaces the processed hours and the dimensions in a single
 * transaction (see {@link DuckDbWarehouse#replace}) and removes the staging folder. A failed check
 * of the model fails the run before anything is loaded; an hour that fails a check of its own is
 * held back (not replaced, no manifest) while the other hours load, and then the run fails naming
 * it.
 */
public final class LoadDuckDb extends PTransform<PInput, PDone> {
  private final Map<WarehouseTable, PCollection<GenericRecord>> tables;
  private final String database;
  private final List<Long> hours;
  private final String runId;
  private final PCollectionTuple checked;

  /**
   * @param checked the data-quality outcome (see {@link DataQuality})
   */
  public LoadDuckDb(
      Map<WarehouseTable, PCollection<GenericRecord>> tables,
      PCollectionTuple checked,
      String database,
      List<Long> hours,
      String runId) {
    this.tables = tables;
    this.checked = checked;
    this.database = database;
    this.hours = List.copyOf(hours);
    this.runId = runId;
  }

  static Path stagingFolder(String database, String runId) {
    Path db = Path.of(database).toAbsolutePath();
    return db.resolveSibling(db.getFileName() + ".staging").resolve(runId);
  }

  @Override
  public PDone expand(PInput input) {
    Path staging = stagingFolder(database, runId);
    PCollectionView<List<String>> checks =
        checked.get(DataQuality.FAILURES).apply("Failures", View.asList());
    PCollectionView<List<String>> hourChecks =
        checked.get(DataQuality.HOUR_FAILURES).apply("Hour failures", View.asList());
    PCollectionView<List<Long>> held =
        checked.get(DataQuality.HELD_HOURS).apply("Held hours", View.asList());
    List<PCollection<KV<String, String>>> files = new ArrayList<>();
    for (var e : tables.entrySet()) {
      WarehouseTable t = e.getKey();
      files.add(
          e.getValue()
              .apply("Stage " + t.tableName(), ParDo.of(new StageFn(t, staging.toString())))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())));
    }
    // So that the load runs even when no table has a row.
    files.add(
        input
            .getPipeline()
            .apply(
                "Always",
                Create.of(KV.of("", ""))
                    .withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))));
    PCollectionList.of(files)
        .apply("AllStaged", Flatten.pCollections())
        .apply(
            "OneLoad",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.strings(),
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings())))
                .via(kv -> KV.of("load", kv)))
        .apply("Together", GroupByKey.create())
        .apply(
            "ReplaceInOneTransaction",
            ParDo.of(new LoadFn(database, hours, staging.toString(), checks, hourChecks, held))
                .withSideInputs(checks, hourChecks, held));
    return PDone.in(input.getPipeline());
  }

  /**
   * Writes each bundle's rows of a table to a new Parquet file of its own in the staging folder,
   * {@code <table>/<table>-<uuid>.parquet}, and outputs (table name, file path) once the file is
   * complete. A bundle without rows writes no file. Only the files output here are loaded, so a
   * file of a failed bundle attempt is never read (the staging folder goes with the load).
   */
  static final class StageFn extends DoFn<GenericRecord, KV<String, String>> {
    private final WarehouseTable table;
    private final String staging;
    private transient FileChannel channel;
    private transient FileIO.Sink<GenericRecord> sink;
    private transient Path file;

    StageFn(WarehouseTable table, String staging) {
      this.table = table;
      this.staging = staging;
    }

    @ProcessElement
    public void process(@Element GenericRecord row) throws IOException {
      if (sink == null) {
        file =
            Path.of(staging)
                .resolve(table.tableName())
                .resolve(table.tableName() + "-" + UUID.randomUUID() + ".parquet");
        Files.createDirectories(file.getParent());
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        sink = ParquetSink.of(table.schema());
        sink.open(channel);
      }
      sink.write(row);
    }

    @FinishBundle
    public void finish(FinishBundleContext c) throws IOException {
      if (sink != null) {
        sink.flush();
        channel.close();
        c.output(
            KV.of(table.tableName(), file.toString()),
            GlobalWindow.INSTANCE.maxTimestamp(),
            GlobalWindow.INSTANCE);
        sink = null;
        channel = null;
      }
    }

    @Teardown
    public void teardown() throws IOException {
      if (channel != null) {
        channel.close();
      }
    }
  }

  static final class LoadFn extends DoFn<KV<String, Iterable<KV<String, String>>>, Void> {
    private final String database;
    private final List<Long> hours;
    private final String staging;
    private final PCollectionView<List<String>> checks;
    private final PCollectionView<List<String>> hourChecks;
    private final PCollectionView<List<Long>> held;

    LoadFn(
        String database,
        List<Long> hours,
        String staging,
        PCollectionView<List<String>> checks,
        PCollectionView<List<String>> hourChecks,
        PCollectionView<List<Long>> held) {
      this.database = database;
      this.hours = hours;
      this.staging = staging;
      this.checks = checks;
      this.hourChecks = hourChecks;
      this.held = held;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<KV<String, String>>> all, ProcessContext c)
        throws Exception {
      List<String> failed = new ArrayList<>(c.sideInput(checks));
      List<String> hourFailed = new ArrayList<>(c.sideInput(hourChecks));
      hourFailed.sort(null);
      if (!failed.isEmpty()) {
        deleteRecursively(Path.of(staging));
        failed.sort(null);
        failed.addAll(hourFailed);
        throw new DataQualityException(failed);
      }
      Set<Long> heldHours = new TreeSet<>(c.sideInput(held));
      Map<WarehouseTable, List<String>> staged = new EnumMap<>(WarehouseTable.class);
      for (KV<String, String> f : all.getValue()) {
        if (!f.getKey().isEmpty()) {
          staged
              .computeIfAbsent(WarehouseTable.byName(f.getKey()), t -> new ArrayList<>())
              .add(f.getValue());
        }
      }
      staged.values().forEach(l -> l.sort(null));
      try (DuckDbWarehouse w = DuckDbWarehouse.open(database)) {
        w.replace(hours, staged, heldHours);
      }
      deleteRecursively(Path.of(staging));
      if (!heldHours.isEmpty()) {
        hourFailed.add(
            "held back, not loaded: "
                + heldHours.stream().map(h -> Hours.format(Instant.ofEpochMilli(h))).toList()
                + (heldHours.size() < hours.size()
                    ? "; the other hours of this run were loaded"
                    : ""));
        throw new DataQualityException(hourFailed);
      }
    }
  }

  static void deleteRecursively(Path p) throws IOException {
    if (Files.exists(p)) {
      try (Stream<Path> s = Files.walk(p)) {
        for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }
}
