package io.streamify.hourly;

import io.streamify.templates.TemplateParameter;
import io.streamify.templates.TemplateParameter.Regex;
import io.streamify.events.LakeTable;
import io.streamify.lake.LakeLayout;
import io.streamify.warehouse.CatalogSong;
import io.streamify.warehouse.DuckDbWarehouse;
import io.streamify.warehouse.WarehouseTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import io.streamify.lake.ReadParquetFiles;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The hourly pipeline: hours of the lake → the warehouse's raw tables, facts and dimensions.
 *
 * <pre>
 * lake hour ─ReadLakeHours─▶ CleanAndDeduplicate ─┬─────────────────────────────▶ raw tables
 *                                                 └▶ ModelEvents ─facts──────────▶ fact tables
 *                                                       └─members ▶ Summaries ─▶ BuildDimensions ▶ dims
 * </pre>
 *
 * Each run replaces the hours it processes (the hour, and {@code lookbackHours} before it for late
 * panes, or {@code fromHour}..{@code hour} for a backfill) in the raw and fact tables, writes those
 * hours' summaries to the lake, and rebuilds every dimension from the summaries of all hours ever
 * processed: re-running hours, or running them in any order, gives the same warehouse.
 */
public final class HourlyPipeline {
  /** The pipeline's parameters; also the Flex Template contract. */
  public interface Options extends PipelineOptions {
    @Description("The hour to process, UTC, like 2026-11-24T13 (default: the last hour complete"
        + " at launch, so a fixed scheduler body processes the hour just ended)")
    @Default.String("")
    @TemplateParameter(regex = Regex.HOUR_OR_EMPTY)
    String getHour();

    void setHour(String value);

    @Description("Also reprocess this many hours before it, to take in late panes the stream"
        + " wrote after they were processed")
    @Default.Integer(1)
    @TemplateParameter(regex = Regex.NON_NEGATIVE)
    Integer getLookbackHours();

    void setLookbackHours(Integer value);

    @Description("Backfill: process every hour from this one (like 2026-11-01T00) to --hour;"
        + " replaces --lookbackHours")
    @Default.String("")
    @TemplateParameter(regex = Regex.HOUR_OR_EMPTY)
    String getFromHour();

    void setFromHour(String value);

    @Description("The data lake root: gs://bucket/prefix or a local folder")
    @Validation.Required
    @TemplateParameter(regex = Regex.GCS)
    String getLake();

    void setLake(String value);

    @Description("The warehouse: a BigQuery dataset as project:dataset, or a local DuckDB"
        + " database file (a path ending in .duckdb)")
    @Validation.Required
    @TemplateParameter(regex = "^[a-z][a-z0-9-]{4,61}[a-z0-9]:[A-Za-z0-9_]{1,1024}$")
    String getWarehouse();

    void setWarehouse(String value);

    @Description("The song catalog as Parquet (default: <lake>/catalog/songs/*.parquet; none is"
        + " fine, dim_songs then holds the songs heard)")
    @Default.String("")
    @TemplateParameter(regex = Regex.GCS_OR_EMPTY)
    String getCatalog();

    void setCatalog(String value);
  }

  /** A BigQuery dataset: project:dataset. */
  static final String BIGQUERY_DATASET = "[a-z][a-z0-9-]{4,61}[a-z0-9]:[A-Za-z0-9_]{1,1024}";

  private HourlyPipeline() {}

  static boolean isDuckDb(Options o) {
    return o.getWarehouse().endsWith(".duckdb");
  }

  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.parquet", "warn");
    // Beam's file sinks log every file they move at INFO.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.beam.sdk.io", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.hadoop", "warn");
    Options options;
    List<Long> hours;
    try {
      options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
      hours = hours(options, Instant.now());
      validate(options);
    } catch (IllegalArgumentException e) {
      System.err.println("streamify hourly: " + firstLine(e.getMessage()));
      System.exit(2);
      return;
    }
    localDefaults(options, args);
    Pipeline pipeline = Pipeline.create(options);
    build(pipeline, options, hours, UUID.randomUUID().toString().substring(0, 8));
    System.err.printf("streamify hourly: processing %s to %s%n",
        Hours.format(Instant.ofEpochMilli(hours.get(0))),
        Hours.format(Instant.ofEpochMilli(hours.get(hours.size() - 1))));
    PipelineResult result = pipeline.run();
    if (!options.getRunner().getSimpleName().equals("DirectRunner")) {
      // Submitted (Dataflow): a Flex Template's launcher must return once the job is created.
      System.err.println("streamify hourly: submitted to " + options.getRunner().getSimpleName());
      return;
    }
    PipelineResult.State state = result.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      System.err.println("streamify hourly: the run ended " + state);
      System.exit(1);
    }
    if (isDuckDb(options)) {
      System.err.println("streamify hourly: " + options.getWarehouse() + " now holds "
          + DuckDbWarehouse.summary(options.getWarehouse()));
    }
  }

  /**
   * On the DirectRunner, unless told otherwise: no immutability/encodability checks. They are for
   * tests, and the immutability check walks the whole graph for every bundle, which for this
   * pipeline's few hundred transforms costs more than the work.
   */
  public static void localDefaults(Options options, String[] args) {
    if (!options.getRunner().getSimpleName().equals("DirectRunner")) {
      return;
    }
    DirectOptions direct = options.as(DirectOptions.class);
    List<String> given = java.util.Arrays.stream(args).map(a -> a.split("=", 2)[0]).toList();
    if (!given.contains("--enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
    if (!given.contains("--enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
  }

  private static String firstLine(String s) {
    return s == null ? "invalid options" : s.strip().lines().findFirst().orElse(s);
  }

  public static void validate(Options o) {
    if (!isDuckDb(o) && !o.getWarehouse().matches(BIGQUERY_DATASET)) {
      throw new IllegalArgumentException("--warehouse must be a BigQuery project:dataset or a"
          + " DuckDB file ending in .duckdb, got " + o.getWarehouse());
    }
    if (o.getLookbackHours() < 0) {
      throw new IllegalArgumentException("--lookbackHours must be >= 0");
    }
  }

  /** The hours a run processes, as epoch millis of their starts, oldest first. */
  public static List<Long> hours(Options o, Instant now) {
    Instant last = o.getHour().isBlank() ? Hours.lastComplete(now) : Hours.parse(o.getHour());
    Instant first = o.getFromHour().isBlank()
        ? last.minusMillis(o.getLookbackHours() * Hours.MILLIS) : Hours.parse(o.getFromHour());
    return Hours.range(first, last);
  }

  /** Adds the whole pipeline for the given hours. */
  public static void build(Pipeline p, Options o, List<Long> hours, String runId) {
    build(p, o, hours, runId, null);
  }

  /** As above; a BigQuery warehouse is reached through {@code bigQueryServices} when given. */
  public static void build(Pipeline p, Options o, List<Long> hours, String runId,
      BigQueryServices bigQueryServices) {
    String lake = o.getLake();
    Map<WarehouseTable, PCollection<GenericRecord>> tables = new EnumMap<>(WarehouseTable.class);
    List<PCollection<KV<String, GenericRecord>>> levels = new ArrayList<>();
    List<PCollection<KV<String, GenericRecord>>> locations = new ArrayList<>();
    List<PCollection<KV<String, GenericRecord>>> songs = new ArrayList<>();
    List<PCollection<KV<String, Long>>> lakeRows = new ArrayList<>();
    List<PCollection<KV<String, Long>>> distinctRows = new ArrayList<>();
    for (LakeTable t : LakeTable.values()) {
      if (!t.isEvent()) {
        continue;
      }
      String name = t.tableName();
      PCollection<GenericRecord> raw = p.apply("Read " + name, new ReadLakeHours(lake, t, hours));
      PCollection<GenericRecord> events = raw.apply("Clean " + name, new CleanAndDeduplicate(t));
      lakeRows.add(raw.apply("Lake rows " + name, new CountPerHour(name)));
      distinctRows.add(events.apply("Distinct rows " + name, new CountPerHour(name)));
      tables.put(WarehouseTable.valueOf(t.name()), events);
      PCollectionTuple modelled = events.apply("Model " + name, new ModelEvents(t));
      tables.put(ModelEvents.factOf(t), modelled.get(ModelEvents.FACTS));
      levels.add(modelled.get(ModelEvents.USER_LEVELS));
      locations.add(modelled.get(ModelEvents.LOCATIONS));
      songs.add(modelled.get(ModelEvents.SONGS));
    }

    PCollection<GenericRecord> allLevels = summarize(p, Summary.USER_LEVELS, levels, lake, hours);
    PCollection<GenericRecord> allLocations =
        summarize(p, Summary.LOCATIONS, locations, lake, hours);
    PCollection<GenericRecord> allSongs = summarize(p, Summary.SONGS, songs, lake, hours);
    PCollection<KV<String, GenericRecord>> counts = hourCounts(p, lakeRows, distinctRows, hours);
    PCollection<GenericRecord> allCounts = withOtherHours(p, Summary.HOUR_COUNTS, counts, lake,
        hours);

    String catalog = o.getCatalog().isBlank()
        ? LakeLayout.resolve(lake, LakeLayout.CATALOG_FOLDER + "/*.parquet") : o.getCatalog();
    PCollection<GenericRecord> catalogSongs = p.apply("Read catalog",
        ReadParquetFiles.matching(List.of(catalog), CatalogSong.SCHEMA, List.of()));

    tables.put(WarehouseTable.DIM_USERS, BuildDimensions.users(allLevels));
    tables.put(WarehouseTable.DIM_LOCATION, BuildDimensions.locations(allLocations));
    tables.put(WarehouseTable.DIM_SONGS, BuildDimensions.songs(allSongs, catalogSongs));
    tables.put(WarehouseTable.DIM_ARTISTS, BuildDimensions.artists(allSongs, catalogSongs));
    tables.put(WarehouseTable.DIM_DATETIME, BuildDimensions.datetimes(allCounts));

    PCollection<String> failures = p.apply("Data quality", new DataQuality(tables,
        counts.apply("This run's hour counts", Values.create())
            .setCoder(AvroCoder.of(Summary.HOUR_COUNTS.schema()))));
    if (isDuckDb(o)) {
      p.apply("Load DuckDB", new LoadDuckDb(tables, failures, o.getWarehouse(), hours, runId));
    } else {
      p.apply("Load BigQuery", new LoadBigQuery(tables, failures, o.getWarehouse(),
          bigQueryServices));
    }
  }

  /** Reduces one summary's observations per hour, writes them, and adds the other hours'. */
  private static PCollection<GenericRecord> summarize(Pipeline p, Summary s,
      List<PCollection<KV<String, GenericRecord>>> observations, String lake, List<Long> hours) {
    String name = s.name().toLowerCase(java.util.Locale.ROOT);
    PCollection<KV<String, GenericRecord>> perHour = PCollectionList.of(observations)
        .apply("All " + name, Flatten.pCollections())
        .apply("Per hour " + name, new Summaries.PerHour(s));
    return withOtherHours(p, s, perHour, lake, hours);
  }

  private static PCollection<GenericRecord> withOtherHours(Pipeline p, Summary s,
      PCollection<KV<String, GenericRecord>> perHour, String lake, List<Long> hours) {
    String name = s.name().toLowerCase(java.util.Locale.ROOT);
    perHour.apply("Write " + name, new Summaries.Write(s, lake, hours));
    PCollection<GenericRecord> these = perHour.apply("These hours " + name, Values.create())
        .setCoder(AvroCoder.of(s.schema()));
    PCollection<GenericRecord> others = p.apply("Other hours " + name,
        new Summaries.ReadOthers(s, lake, hours));
    return PCollectionList.of(these).and(others).apply("Every hour " + name,
        Flatten.pCollections());
  }

  /** Rows per {@code <hour partition>|<table>}. */
  static final class CountPerHour
      extends PTransform<PCollection<GenericRecord>, PCollection<KV<String, Long>>> {
    private final String table;

    CountPerHour(String table) {
      this.table = table;
    }

    @Override
    public PCollection<KV<String, Long>> expand(PCollection<GenericRecord> rows) {
      String t = table;
      return rows
          .apply("HourOf", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                  TypeDescriptors.longs()))
              .via(r -> KV.of(LakeLayout.hourPartition((Long) r.get("ts")) + "|" + t, 1L)))
          .apply("Count", new SumPerKey());
    }
  }

  /** One HOUR_COUNTS row per processed hour and event table, zero rows included. */
  private static PCollection<KV<String, GenericRecord>> hourCounts(Pipeline p,
      List<PCollection<KV<String, Long>>> lakeRows, List<PCollection<KV<String, Long>>> distinct,
      List<Long> hours) {
    List<KV<String, Long>> slots = new ArrayList<>();
    for (long h : hours) {
      for (LakeTable t : LakeTable.values()) {
        if (t.isEvent()) {
          slots.add(KV.of(LakeLayout.hourPartition(h) + "|" + t.tableName(), h));
        }
      }
    }
    TupleTag<Long> slot = new TupleTag<>();
    TupleTag<Long> lake = new TupleTag<>();
    TupleTag<Long> kept = new TupleTag<>();
    return KeyedPCollectionTuple
        .of(slot, p.apply("Hour slots", Create.of(slots)
            .withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))))
        .and(lake, PCollectionList.of(lakeRows).apply("All lake rows", Flatten.pCollections()))
        .and(kept, PCollectionList.of(distinct).apply("All distinct rows", Flatten.pCollections()))
        .apply("Counts per slot", CoGroupByKey.create())
        .apply("Hour count rows", ParDo.of(new DoFn<KV<String, CoGbkResult>,
            KV<String, GenericRecord>>() {
          @ProcessElement
          public void process(@Element KV<String, CoGbkResult> e,
              OutputReceiver<KV<String, GenericRecord>> out) {
            Long hour = e.getValue().getOnly(slot, null);
            if (hour == null) {
              return; // rows of an hour outside those processed cannot be in the lake's partition
            }
            GenericRecord r = new GenericData.Record(Summary.HOUR_COUNTS.schema());
            String key = e.getKey();
            r.put("hour_start", hour);
            r.put("table_name", key.substring(key.indexOf('|') + 1));
            r.put("lake_rows", e.getValue().getOnly(lake, 0L));
            r.put("distinct_rows", e.getValue().getOnly(kept, 0L));
            out.output(KV.of(key.substring(0, key.indexOf('|')), r));
          }
        }))
        .setCoder(ModelEvents.keyed(Summary.HOUR_COUNTS));
  }
}
