package io.streamify.hourly;

import io.streamify.cli.Example;
import io.streamify.cli.TemplateParameter;
import io.streamify.cli.TemplateParameter.Regex;
import io.streamify.events.LakeTable;
import io.streamify.hourly.checks.DataQuality;
import io.streamify.hourly.dimensions.DimArtists;
import io.streamify.hourly.dimensions.DimDatetimes;
import io.streamify.hourly.dimensions.DimLocations;
import io.streamify.hourly.dimensions.DimSongs;
import io.streamify.hourly.dimensions.DimUsers;
import io.streamify.hourly.facts.Facts;
import io.streamify.hourly.grouping.Grouping;
import io.streamify.hourly.staging.CleanAndDeduplicate;
import io.streamify.hourly.staging.CountPerHour;
import io.streamify.hourly.staging.StagedEvent;
import io.streamify.hourly.summaries.HourCount;
import io.streamify.hourly.summaries.HourCounts;
import io.streamify.hourly.summaries.HourMember;
import io.streamify.hourly.summaries.Location;
import io.streamify.hourly.summaries.Observations;
import io.streamify.hourly.summaries.Song;
import io.streamify.hourly.summaries.Summaries;
import io.streamify.hourly.summaries.Summary;
import io.streamify.hourly.summaries.UserLevel;
import io.streamify.lake.Hours;
import io.streamify.lake.LakeLayout;
import io.streamify.lake.ReadParquetFiles;
import io.streamify.lake.TableHour;
import io.streamify.rows.AsAvro;
import io.streamify.warehouse.CatalogSong;
import io.streamify.warehouse.WarehouseTable;
import io.streamify.warehouse.rows.DimArtist;
import io.streamify.warehouse.rows.DimDatetime;
import io.streamify.warehouse.rows.DimLocation;
import io.streamify.warehouse.rows.DimSong;
import io.streamify.warehouse.rows.DimUser;
import io.streamify.warehouse.rows.LoadManifest;
import io.streamify.warehouse.rows.Reject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The hourly pipeline: hours of the lake → the warehouse's raw tables, facts and dimensions.
 *
 * <pre>
 * lake hour ─ReadLakeHours─▶ staging.CleanAndDeduplicate ─┬─raw──────────────────────▶ raw tables
 *                                                         ├─rejects, duplicates ─────▶ rejects
 *                                                         └▶ StagedEvent ─facts.Fact*─▶ fact tables
 *                                                             └▶ summaries.Observations ▶ Summaries
 * every hour's summaries (lake) + catalog ─dimensions.Dim*─▶ dimension tables
 * all tables + hour counts ─checks.DataQuality─▶ LoadDuckDb / LoadBigQuery (+ load_manifests), or fail
 * </pre>
 *
 * Which hours: a {@link LoadPlan}, by default the catch-up (every closed hour not loaded yet or
 * changed since its load), or the hours given. Each run replaces the hours it processes in the raw,
 * fact and rejects tables, writes those hours' summaries to the lake, and rebuilds every dimension
 * from the summaries of all hours ever processed: re-running hours, or running them in any order,
 * gives the same warehouse.
 */
public final class HourlyPipeline {
  /** The pipeline's parameters; also the Flex Template contract. */
  public interface Options extends PipelineOptions {
    @Description(
        "The hour to process, UTC, like 2026-11-24T13 (default: catch up: every closed"
            + " hour of the last catchUpHours not loaded yet or changed since its load, oldest first)")
    @Default.String("")
    @TemplateParameter(regex = Regex.HOUR_OR_EMPTY)
    @Example("2026-11-24T13")
    String getHour();

    void setHour(String value);

    @Description("With --hour: also reprocess this many hours before it")
    @Default.Integer(1)
    @TemplateParameter(regex = Regex.NON_NEGATIVE)
    Integer getLookbackHours();

    void setLookbackHours(Integer value);

    @Description(
        "Catching up (no --hour or --fromHour): how many hours back to look for closed"
            + " hours not loaded yet, or whose lake files changed after their load")
    @Default.Integer(168)
    @TemplateParameter(regex = Regex.POSITIVE)
    Integer getCatchUpHours();

    void setCatchUpHours(Integer value);

    @Description(
        "Catching up: the most hours one run loads (the oldest first; the next run goes" + " on)")
    @Default.Integer(24)
    @TemplateParameter(regex = Regex.POSITIVE)
    Integer getMaxHoursPerRun();

    void setMaxHoursPerRun(Integer value);

    @Description(
        "The share of an hour's rows of a table that may go to the rejects table before"
            + " the hour is held back as a systemic fault (not loaded, the run exits 1; at least 100"
            + " rejected rows; fewer never hold it back)")
    @Default.Double(0.05)
    @TemplateParameter(regex = "^(0(\\.[0-9]+)?|1(\\.0+)?)$")
    Double getMaxRejectedShare();

    void setMaxRejectedShare(Double value);

    @Description(
        "Backfill: process every hour from this one (like 2026-11-01T00) to --hour;"
            + " replaces --lookbackHours")
    @Default.String("")
    @TemplateParameter(regex = Regex.HOUR_OR_EMPTY)
    @Example("2026-11-01T00")
    String getFromHour();

    void setFromHour(String value);

    @Description("The data lake root: gs://bucket/prefix or a local folder")
    @Validation.Required
    @TemplateParameter(regex = Regex.GCS)
    @Example("gs://my-bucket/lake")
    String getLake();

    void setLake(String value);

    @Description(
        "The warehouse: a BigQuery dataset as project:dataset, or a local DuckDB"
            + " database file (a path ending in .duckdb)")
    @Validation.Required
    @TemplateParameter(regex = "^[a-z][a-z0-9-]{4,61}[a-z0-9]:[A-Za-z0-9_]{1,1024}$")
    @Example("my-project:streamify")
    String getWarehouse();

    void setWarehouse(String value);

    @Description(
        "The song catalog as Parquet (default: <lake>/catalog/songs/*.parquet; none is"
            + " fine, dim_songs then holds the songs heard)")
    @Default.String("")
    @TemplateParameter(regex = Regex.GCS_OR_EMPTY)
    @Example("gs://my-bucket/lake/catalog/songs/*.parquet")
    String getCatalog();

    void setCatalog(String value);
  }

  /** A BigQuery dataset: project:dataset. */
  static final String BIGQUERY_DATASET = "[a-z][a-z0-9-]{4,61}[a-z0-9]:[A-Za-z0-9_]{1,1024}";

  private HourlyPipeline() {}

  static boolean isDuckDb(Options o) {
    return o.getWarehouse().endsWith(".duckdb");
  }

  /** {@code streamify hourly}: see {@link HourlyCommand#run}. */
  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.parquet", "warn");
    // Beam's file sinks log every file they move at INFO.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.beam.sdk.io", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.hadoop", "warn");
    System.exit(HourlyCommand.run(args, System.err));
  }

  /**
   * What a run loads: the hours given ({@code --hour}, {@code --fromHour}), or, with neither, every
   * hour the catch-up finds (see {@link LoadPlan#catchUp}). Reads the lake's closed marks and the
   * warehouse's load manifests.
   */
  public static LoadPlan plan(Options o, Instant now) throws Exception {
    return plan(o, now, OptionalLong.empty());
  }

  /**
   * The same, for a warehouse whose partitions expire after {@code expirationMs}: a catch-up's
   * window starts after the last hour BigQuery would drop ({@link LoadPlan#expired}), so such hours
   * never take the places of loadable ones among the run's {@code maxHoursPerRun}.
   */
  public static LoadPlan plan(Options o, Instant now, OptionalLong expirationMs) throws Exception {
    if (!o.getHour().isBlank() || !o.getFromHour().isBlank()) {
      return LoadPlan.forHours(o.getLake(), hours(o, now));
    }
    LoadPlan.Window window = LoadPlan.Window.lastHours(now, o.getCatchUpHours());
    if (expirationMs.isPresent()) {
      window =
          new LoadPlan.Window(
              Math.max(window.from(), LoadPlan.firstUnexpiredHour(expirationMs.getAsLong(), now)),
              window.to(),
              window.emptyFrom(),
              window.launch());
    }
    try (LoadManifests loaded = LoadManifests.open(o.getWarehouse())) {
      return LoadPlan.catchUp(o.getLake(), loaded, window, o.getMaxHoursPerRun());
    }
  }

  /**
   * The launch every starter of the pipeline shares ({@code streamify hourly}, {@code streamify
   * local}, the tests and the benchmarks): the options parsed from {@code args} and checked, with
   * the DirectRunner's {@link #localDefaults} for what {@code args} leave unsaid.
   *
   * @throws IllegalArgumentException a usage mistake (an unknown or malformed option, no lake, a
   *     warehouse that is neither a .duckdb file nor project:dataset), its message one line
   */
  public static Options options(String... args) {
    Options o = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    validate(o);
    localDefaults(o, args);
    return o;
  }

  /**
   * The pipeline of {@code options} for a plan's hours, built and ready to run; a BigQuery
   * warehouse is reached through {@code bigQueryServices} when given (tests), else Google's.
   */
  public static Pipeline pipeline(
      Options options, LoadPlan plan, String runId, BigQueryServices bigQueryServices) {
    Pipeline p = Pipeline.create(options);
    build(p, options, plan, runId, bigQueryServices);
    return p;
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
    List<String> given = Arrays.stream(args).map(a -> a.split("=", 2)[0]).toList();
    if (!given.contains("--enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
    if (!given.contains("--enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
  }

  public static void validate(Options o) {
    if (!o.getLake().contains("://") && !Files.isDirectory(Path.of(o.getLake()))) {
      throw new IllegalArgumentException(
          "no lake at "
              + o.getLake()
              + " (the stream pipeline"
              + " writes it: streamify stream --lake="
              + o.getLake()
              + ")");
    }
    if (isDuckDb(o)) {
      Path parent = Path.of(o.getWarehouse()).toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        throw new IllegalArgumentException(
            "no folder " + parent + " for the warehouse " + o.getWarehouse());
      }
    }
    if (!isDuckDb(o) && !o.getWarehouse().matches(BIGQUERY_DATASET)) {
      throw new IllegalArgumentException(
          "--warehouse must be a BigQuery project:dataset or a"
              + " DuckDB file ending in .duckdb, got "
              + o.getWarehouse());
    }
    if (o.getLookbackHours() < 0) {
      throw new IllegalArgumentException("--lookbackHours must be >= 0");
    }
    if (o.getCatchUpHours() < 1 || o.getMaxHoursPerRun() < 1) {
      throw new IllegalArgumentException("--catchUpHours and --maxHoursPerRun must be >= 1");
    }
    if (!(o.getMaxRejectedShare() >= 0 && o.getMaxRejectedShare() <= 1)) {
      throw new IllegalArgumentException(
          "--maxRejectedShare must be between 0 and 1, got " + o.getMaxRejectedShare());
    }
  }

  /** The hours a run processes, as epoch millis of their starts, oldest first. */
  public static List<Long> hours(Options o, Instant now) {
    Instant last = o.getHour().isBlank() ? Hours.lastComplete(now) : Hours.parse(o.getHour());
    Instant first =
        o.getFromHour().isBlank()
            ? last.minusMillis(o.getLookbackHours() * Hours.MILLIS)
            : Hours.parse(o.getFromHour());
    return Hours.range(first, last);
  }

  /**
   * Adds the whole pipeline for the given hours, recording no closed-mark versions in the manifests
   * (tests, offline translation: no lake access at construction).
   */
  public static void build(Pipeline p, Options o, List<Long> hours, String runId) {
    build(p, o, LoadPlan.of(hours), runId, null);
  }

  /** As above; a BigQuery warehouse is reached through {@code bigQueryServices} when given. */
  public static void build(
      Pipeline p, Options o, List<Long> hours, String runId, BigQueryServices bigQueryServices) {
    build(p, o, LoadPlan.of(hours), runId, bigQueryServices);
  }

  /**
   * Adds the whole pipeline for a plan's hours: read, stage (raw rows, rejects, duplicates), model
   * the facts, summarise, rebuild the dimensions, check, and load with one manifest row per hour
   * and source table. A BigQuery warehouse is reached through {@code bigQueryServices} when given.
   */
  public static void build(
      Pipeline p, Options o, LoadPlan plan, String runId, BigQueryServices bigQueryServices) {
    String lake = o.getLake();
    List<Long> hours = plan.hours();
    Map<WarehouseTable, PCollection<GenericRecord>> tables = new EnumMap<>(WarehouseTable.class);
    List<PCollection<KV<HourMember, UserLevel>>> levels = new ArrayList<>();
    List<PCollection<KV<HourMember, Location>>> places = new ArrayList<>();
    List<PCollection<KV<HourMember, Song>>> songs = new ArrayList<>();
    List<PCollection<KV<TableHour, Long>>> lakeRows = new ArrayList<>();
    List<PCollection<KV<TableHour, Long>>> keptRows = new ArrayList<>();
    List<PCollection<KV<TableHour, Long>>> duplicates = new ArrayList<>();
    List<PCollection<KV<TableHour, Long>>> lakeFiles = new ArrayList<>();
    List<PCollection<Reject>> rejects = new ArrayList<>();
    for (LakeTable t : LakeTable.values()) {
      if (!t.isEvent()) {
        continue;
      }
      String name = t.tableName();
      PCollectionTuple read = p.apply("Read " + name, new ReadLakeHours(lake, t, hours));
      PCollection<GenericRecord> raw = read.get(ReadLakeHours.ROWS);
      lakeFiles.add(read.get(ReadLakeHours.FILES));
      PCollectionTuple staged = raw.apply("Stage " + name, new CleanAndDeduplicate(t));
      PCollection<GenericRecord> kept = staged.get(CleanAndDeduplicate.RAW);
      rejects.add(staged.get(CleanAndDeduplicate.REJECTS));
      duplicates.add(staged.get(CleanAndDeduplicate.DUPLICATES));
      lakeRows.add(raw.apply("Lake rows " + name, CountPerHour.ofRows(name)));
      keptRows.add(kept.apply("Kept rows " + name, CountPerHour.ofRows(name)));
      tables.put(WarehouseTable.valueOf(t.name()), kept);

      PCollection<StagedEvent> events =
          kept.apply(
                  "Staged events " + name,
                  MapElements.into(TypeDescriptor.of(StagedEvent.class)).via(StagedEvent::of))
              .setCoder(StagedEvent.TYPE.coder());
      tables.put(Facts.factOf(t), events.apply("Model " + name, Facts.asAvro(t)));
      levels.add(
          events.apply(
              "User levels " + name,
              new Observations.UserLevels(t == LakeTable.STATUS_CHANGE_EVENTS)));
      places.add(events.apply("Places " + name, new Observations.Places()));
      if (t == LakeTable.LISTEN_EVENTS) {
        songs.add(events.apply("Songs " + name, new Observations.Songs()));
      }
    }
    PCollection<Reject> allRejects =
        PCollectionList.of(rejects)
            .apply("All rejects", Flatten.pCollections())
            .setCoder(Reject.TYPE.coder());
    tables.put(WarehouseTable.REJECTS, allRejects.apply("Rejects as rows", AsAvro.of(Reject.TYPE)));

    PCollection<UserLevel> allLevels =
        flatten("user levels", levels)
            .apply("Per hour user_levels", new Summaries.LevelChanges())
            .apply(
                "Summary user_levels", new Summaries.EveryHour<>(Summary.USER_LEVELS, lake, hours));
    PCollection<Location> allPlaces =
        flatten("places", places)
            .apply("Per hour locations", new Summaries.OnePerMember<>(Location.TYPE))
            .apply("Summary locations", new Summaries.EveryHour<>(Summary.LOCATIONS, lake, hours));
    PCollection<Song> allSongs =
        flatten("songs", songs)
            .apply("Per hour songs", new Summaries.OnePerMember<>(Song.TYPE))
            .apply("Summary songs", new Summaries.EveryHour<>(Summary.SONGS, lake, hours));
    PCollection<KV<Long, HourCount>> counts =
        PCollectionTuple.of(HourCounts.LAKE, sum(p, "lake rows", lakeRows))
            .and(HourCounts.KEPT, sum(p, "kept rows", keptRows))
            .and(HourCounts.DUPLICATES, sum(p, "duplicate rows", duplicates))
            .and(HourCounts.REJECTED, allRejects.apply("Rejected rows", CountPerHour.ofRejects()))
            .apply("Hour counts", new HourCounts(hours));
    PCollection<HourCount> allCounts =
        counts.apply(
            "Summary hour_counts", new Summaries.EveryHour<>(Summary.HOUR_COUNTS, lake, hours));

    String catalog =
        o.getCatalog().isBlank()
            ? LakeLayout.resolve(lake, LakeLayout.CATALOG_FOLDER + "/*.parquet")
            : o.getCatalog();
    PCollection<CatalogSong> catalogSongs =
        p.apply(
                "Read catalog",
                ReadParquetFiles.matching(
                    List.of(catalog), CatalogSong.SCHEMA, List.of(), Grouping.spread()))
            .apply(
                "Catalog songs",
                MapElements.into(TypeDescriptor.of(CatalogSong.class))
                    .via(CatalogSong.TYPE::fromAvro))
            .setCoder(CatalogSong.TYPE.coder());

    tables.put(
        WarehouseTable.DIM_USERS,
        allLevels
            .apply("dim_users", new DimUsers())
            .apply("dim_users as rows", AsAvro.of(DimUser.TYPE)));
    tables.put(
        WarehouseTable.DIM_LOCATION,
        allPlaces
            .apply("dim_location", new DimLocations())
            .apply("dim_location as rows", AsAvro.of(DimLocation.TYPE)));
    tables.put(
        WarehouseTable.DIM_SONGS,
        PCollectionTuple.of(DimSongs.HEARD, allSongs)
            .and(DimSongs.CATALOG, catalogSongs)
            .apply("dim_songs", new DimSongs())
            .apply("dim_songs as rows", AsAvro.of(DimSong.TYPE)));
    tables.put(
        WarehouseTable.DIM_ARTISTS,
        PCollectionTuple.of(DimArtists.HEARD, allSongs)
            .and(DimArtists.CATALOG, catalogSongs)
            .apply("dim_artists", new DimArtists())
            .apply("dim_artists as rows", AsAvro.of(DimArtist.TYPE)));
    tables.put(
        WarehouseTable.DIM_DATETIME,
        allCounts
            .apply("dim_datetime", new DimDatetimes())
            .apply("dim_datetime as rows", AsAvro.of(DimDatetime.TYPE)));

    PCollection<HourCount> thisRunsCounts =
        counts.apply("This run's hour counts", Values.create()).setCoder(HourCount.TYPE.coder());
    tables.put(
        WarehouseTable.LOAD_MANIFESTS,
        thisRunsCounts
            .apply(
                "Manifests",
                new LoadManifests.Rows(
                    tables,
                    sum(p, "lake files", lakeFiles),
                    plan.versions(),
                    runId,
                    Instant.now().toEpochMilli()))
            .apply("Manifests as rows", AsAvro.of(LoadManifest.TYPE)));

    PCollectionTuple checked =
        p.apply("Data quality", new DataQuality(tables, thisRunsCounts, o.getMaxRejectedShare()));
    if (isDuckDb(o)) {
      p.apply("Load DuckDB", new LoadDuckDb(tables, checked, o.getWarehouse(), hours, runId));
    } else {
      p.apply(
          "Load BigQuery",
          new LoadBigQuery(tables, checked, o.getWarehouse(), hours, runId, bigQueryServices));
    }
  }

  private static PCollection<KV<TableHour, Long>> sum(
      Pipeline p, String name, List<PCollection<KV<TableHour, Long>>> parts) {
    return PCollectionList.of(parts)
        .apply("All " + name, Flatten.pCollections())
        .apply("Sum " + name, Grouping.sumPerKey());
  }

  private static <T> PCollection<T> flatten(String name, List<PCollection<T>> parts) {
    return PCollectionList.of(parts).apply("All " + name, Flatten.pCollections());
  }
}
