package io.streamify.warehouse;

import io.streamify.events.LakeTable;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaBuilder.FieldAssembler;

/**
 * Every warehouse table and its schema: the one definition the hourly pipeline writes, the DuckDB
 * tables are created from and {@code sql/} is checked against.
 *
 * <p>{@link Kind#HOURLY} tables hold events: they are partitioned by the hour of {@code ts} and
 * each run replaces the partitions of the hours it processed. {@link Kind#DIMENSION} tables are
 * rebuilt whole by every run, from the lake's member summaries of all hours (see {@link
 * io.streamify.hourly.HourlyPipeline}), so the order in which hours are processed does not matter.
 *
 * <p>Dimension keys are stable 64-bit hashes of the members' natural keys ({@link Keys}); key 0 is
 * each dimension's explicit unknown member. Facts refer to users by {@code user_id}, the durable
 * key of the type-2 {@code dim_users}: the version in force at a fact's {@code ts} is the one whose
 * {@code [row_activation, row_expiration)} holds it, so facts stay valid however later hours split
 * or merge versions.
 */
public enum WarehouseTable {
  LISTEN_EVENTS(
      Kind.HOURLY,
      "Raw listens, one per NextSong, de-duplicated and cleaned",
      LakeTable.LISTEN_EVENTS::schema),
  PAGE_VIEW_EVENTS(
      Kind.HOURLY, "Raw page views, de-duplicated and cleaned", LakeTable.PAGE_VIEW_EVENTS::schema),
  AUTH_EVENTS(
      Kind.HOURLY, "Raw login attempts, de-duplicated and cleaned", LakeTable.AUTH_EVENTS::schema),
  STATUS_CHANGE_EVENTS(
      Kind.HOURLY,
      "Raw subscription changes, de-duplicated and cleaned",
      LakeTable.STATUS_CHANGE_EVENTS::schema),

  FACT_STREAMS(
      Kind.HOURLY,
      "One row per listen",
      () ->
          fact("FactStream")
              .name("user_id")
              .type()
              .longType()
              .noDefault()
              .name("level")
              .type()
              .stringType()
              .noDefault()
              .name("song_key")
              .type()
              .longType()
              .noDefault()
              .name("artist_key")
              .type()
              .longType()
              .noDefault()
              .name("location_key")
              .type()
              .longType()
              .noDefault()
              .name("duration")
              .type()
              .doubleType()
              .noDefault()
              .name("user_agent")
              .type()
              .stringType()
              .noDefault()
              .endRecord()),
  FACT_PAGE_VIEWS(
      Kind.HOURLY,
      "One row per page view; user_id 0 for guests and logged-out" + " users",
      () ->
          fact("FactPageView")
              .name("user_id")
              .type()
              .longType()
              .noDefault()
              .name("level")
              .type()
              .stringType()
              .noDefault()
              .name("auth")
              .type()
              .stringType()
              .noDefault()
              .name("page")
              .type()
              .stringType()
              .noDefault()
              .name("method")
              .type()
              .stringType()
              .noDefault()
              .name("status")
              .type()
              .intType()
              .noDefault()
              .name("location_key")
              .type()
              .longType()
              .noDefault()
              .endRecord()),
  FACT_LOGINS(
      Kind.HOURLY,
      "One row per login attempt, successful or not",
      () ->
          fact("FactLogin")
              .name("user_id")
              .type()
              .longType()
              .noDefault()
              .name("level")
              .type()
              .stringType()
              .noDefault()
              .name("success")
              .type()
              .booleanType()
              .noDefault()
              .name("location_key")
              .type()
              .longType()
              .noDefault()
              .endRecord()),
  FACT_SUBSCRIPTION_CHANGES(
      Kind.HOURLY,
      "One row per upgrade or downgrade",
      () ->
          fact("FactSubscriptionChange")
              .name("user_id")
              .type()
              .longType()
              .noDefault()
              .name("from_level")
              .type()
              .stringType()
              .noDefault()
              .name("to_level")
              .type()
              .stringType()
              .noDefault()
              .name("location_key")
              .type()
              .longType()
              .noDefault()
              .endRecord()),

  REJECTS(
      Kind.HOURLY,
      "Lake rows the warehouse refused, one per row and rule broken: the rule,"
          + " why, the event's identity and Kafka coordinates, and the whole row as JSON",
      () ->
          record("Reject")
              .name("ts")
              .type(timestamp())
              .noDefault()
              .name("datetime_key")
              .type()
              .longType()
              .noDefault()
              .name("source_table")
              .type()
              .stringType()
              .noDefault()
              .name("rule")
              .type()
              .stringType()
              .noDefault()
              .name("detail")
              .type()
              .stringType()
              .noDefault()
              .name("session_id")
              .type()
              .longType()
              .noDefault()
              .name("item_in_session")
              .type()
              .intType()
              .noDefault()
              .name("kafka_partition")
              .type()
              .nullable()
              .intType()
              .noDefault()
              .name("kafka_offset")
              .type()
              .nullable()
              .longType()
              .noDefault()
              .name("record")
              .type()
              .stringType()
              .noDefault()
              .endRecord()),

  DIM_USERS(
      Kind.DIMENSION,
      "Users, type 2 on level: one row per user and level period",
      () ->
          record("DimUser")
              .name("user_key")
              .type()
              .longType()
              .noDefault()
              .name("user_id")
              .type()
              .longType()
              .noDefault()
              .name("first_name")
              .type()
              .nullable()
              .stringType()
              .noDefault()
              .name("last_name")
              .type()
              .nullable()
              .stringType()
              .noDefault()
              .name("gender")
              .type()
              .nullable()
              .stringType()
              .noDefault()
              .name("registration")
              .type(nullable(timestamp()))
              .noDefault()
              .name("level")
              .type()
              .stringType()
              .noDefault()
              .name("row_activation")
              .type(timestamp())
              .noDefault()
              .name("row_expiration")
              .type(timestamp())
              .noDefault()
              .name("is_current")
              .type()
              .booleanType()
              .noDefault()
              .endRecord()),
  DIM_SONGS(
      Kind.DIMENSION,
      "Songs of the catalog and songs heard but not in it",
      () ->
          record("DimSong")
              .name("song_key")
              .type()
              .longType()
              .noDefault()
              .name("title")
              .type()
              .stringType()
              .noDefault()
              .name("artist_key")
              .type()
              .longType()
              .noDefault()
              .name("artist_name")
              .type()
              .stringType()
              .noDefault()
              .name("duration")
              .type()
              .nullable()
              .doubleType()
              .noDefault()
              .name("year")
              .type()
              .nullable()
              .intType()
              .noDefault()
              .name("song_id")
              .type()
              .nullable()
              .stringType()
              .noDefault()
              .name("in_catalog")
              .type()
              .booleanType()
              .noDefault()
              .endRecord()),
  DIM_ARTISTS(
      Kind.DIMENSION,
      "Artists of the catalog and artists heard but not in it",
      () ->
          record("DimArtist")
              .name("artist_key")
              .type()
              .longType()
              .noDefault()
              .name("name")
              .type()
              .stringType()
              .noDefault()
              .name("artist_id")
              .type()
              .nullable()
              .stringType()
              .noDefault()
              .name("in_catalog")
              .type()
              .booleanType()
              .noDefault()
              .endRecord()),
  DIM_LOCATION(
      Kind.DIMENSION,
      "Places users are in",
      () ->
          record("DimLocation")
              .name("location_key")
              .type()
              .longType()
              .noDefault()
              .name("city")
              .type()
              .stringType()
              .noDefault()
              .name("state_code")
              .type()
              .stringType()
              .noDefault()
              .name("state_name")
              .type()
              .stringType()
              .noDefault()
              .name("zip")
              .type()
              .stringType()
              .noDefault()
              .name("latitude")
              .type()
              .nullable()
              .doubleType()
              .noDefault()
              .name("longitude")
              .type()
              .nullable()
              .doubleType()
              .noDefault()
              .endRecord()),
  DIM_DATETIME(
      Kind.DIMENSION,
      "Hours, from the first day with events to the last",
      () ->
          record("DimDatetime")
              .name("datetime_key")
              .type()
              .longType()
              .noDefault()
              .name("hour_start")
              .type(timestamp())
              .noDefault()
              .name("date")
              .type(LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT)))
              .noDefault()
              .name("year")
              .type()
              .intType()
              .noDefault()
              .name("quarter")
              .type()
              .intType()
              .noDefault()
              .name("month")
              .type()
              .intType()
              .noDefault()
              .name("month_name")
              .type()
              .stringType()
              .noDefault()
              .name("day")
              .type()
              .intType()
              .noDefault()
              .name("hour")
              .type()
              .intType()
              .noDefault()
              .name("day_of_week")
              .type()
              .intType()
              .noDefault()
              .name("day_name")
              .type()
              .stringType()
              .noDefault()
              .name("week_of_year")
              .type()
              .intType()
              .noDefault()
              .name("is_weekend")
              .type()
              .booleanType()
              .noDefault()
              .endRecord()),

  LOAD_MANIFESTS(
      Kind.LOG,
      "One row per hour, source table and run that loaded it, written in"
          + " the load's transaction (DuckDB) or after its load jobs (BigQuery): the hour's closed"
          + " mark version, what the lake held and where every row went",
      () ->
          record("LoadManifest")
              .name("hour_start")
              .type(timestamp())
              .noDefault()
              .name("source_table")
              .type()
              .stringType()
              .noDefault()
              .name("run_id")
              .type()
              .stringType()
              .noDefault()
              .name("loaded_at")
              .type(timestamp())
              .noDefault()
              .name("closed_version")
              .type()
              .stringType()
              .noDefault()
              .name("lake_files")
              .type()
              .longType()
              .noDefault()
              .name("lake_rows")
              .type()
              .longType()
              .noDefault()
              .name("duplicate_rows")
              .type()
              .longType()
              .noDefault()
              .name("rejected_rows")
              .type()
              .longType()
              .noDefault()
              .name("raw_rows")
              .type()
              .longType()
              .noDefault()
              .name("fact_rows")
              .type()
              .longType()
              .noDefault()
              .endRecord());

  /** How a run writes the table. */
  public enum Kind {
    /** Rows of hours: a run replaces the hours it processed. */
    HOURLY,
    /** Rebuilt whole by every run. */
    DIMENSION,
    /** Appended to by every run, never replaced: the history of loads. */
    LOG
  }

  private final Kind kind;
  private final String description;
  private final Supplier<Schema> schemaSupplier;
  private volatile Schema schema;

  WarehouseTable(Kind kind, String description, Supplier<Schema> schema) {
    this.kind = kind;
    this.description = description;
    this.schemaSupplier = schema;
  }

  public String tableName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public Kind kind() {
    return kind;
  }

  public String description() {
    return description;
  }

  public Schema schema() {
    Schema s = schema;
    if (s == null) {
      s = schemaSupplier.get();
      schema = s;
    }
    return s;
  }

  /** Columns BigQuery clusters the table by: who, the most common filter after time. */
  public List<String> clustering() {
    if (isRaw()) {
      return List.of("userId");
    }
    if (this == REJECTS) {
      return List.of("source_table", "rule");
    }
    if (kind == Kind.LOG) {
      return List.of();
    }
    if (kind == Kind.HOURLY || this == DIM_USERS) {
      return List.of("user_id");
    }
    return List.of();
  }

  public boolean isRaw() {
    return ordinal() <= STATUS_CHANGE_EVENTS.ordinal();
  }

  /** A fact table: one row per raw event of its source table. */
  public boolean isFact() {
    return name().startsWith("FACT_");
  }

  /** The raw table whose events a fact table holds. */
  public WarehouseTable factSource() {
    return switch (this) {
      case FACT_STREAMS -> LISTEN_EVENTS;
      case FACT_PAGE_VIEWS -> PAGE_VIEW_EVENTS;
      case FACT_LOGINS -> AUTH_EVENTS;
      case FACT_SUBSCRIPTION_CHANGES -> STATUS_CHANGE_EVENTS;
      default -> throw new IllegalArgumentException(this + " is not a fact table");
    };
  }

  public static List<WarehouseTable> ofKind(Kind kind) {
    return Arrays.stream(values()).filter(t -> t.kind == kind).toList();
  }

  public static WarehouseTable byName(String name) {
    return Arrays.stream(values())
        .filter(t -> t.tableName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown warehouse table " + name));
  }

  static Schema timestamp() {
    return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
  }

  private static Schema nullable(Schema s) {
    return Schema.createUnion(Schema.create(Schema.Type.NULL), s);
  }

  private static FieldAssembler<Schema> record(String name) {
    return SchemaBuilder.record(name).namespace("io.streamify.warehouse.avro").fields();
  }

  /** The columns every fact starts with: its time, hour key and event identity. */
  private static FieldAssembler<Schema> fact(String name) {
    return record(name)
        .name("ts")
        .type(timestamp())
        .noDefault()
        .name("datetime_key")
        .type()
        .longType()
        .noDefault()
        .name("session_id")
        .type()
        .longType()
        .noDefault()
        .name("item_in_session")
        .type()
        .intType()
        .noDefault();
  }
}
