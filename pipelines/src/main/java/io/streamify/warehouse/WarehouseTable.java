package io.streamify.warehouse;

import io.streamify.events.LakeTable;
import io.streamify.rows.RowType;
import io.streamify.warehouse.rows.DimArtist;
import io.streamify.warehouse.rows.DimDatetime;
import io.streamify.warehouse.rows.DimLocation;
import io.streamify.warehouse.rows.DimSong;
import io.streamify.warehouse.rows.DimUser;
import io.streamify.warehouse.rows.FactLogin;
import io.streamify.warehouse.rows.FactPageView;
import io.streamify.warehouse.rows.FactStream;
import io.streamify.warehouse.rows.FactSubscriptionChange;
import io.streamify.warehouse.rows.LoadManifest;
import io.streamify.warehouse.rows.Reject;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.avro.Schema;

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

  FACT_STREAMS(Kind.HOURLY, "One row per listen", FactStream.TYPE),
  FACT_PAGE_VIEWS(
      Kind.HOURLY,
      "One row per page view; user_id 0 for guests and logged-out users",
      FactPageView.TYPE),
  FACT_LOGINS(Kind.HOURLY, "One row per login attempt, successful or not", FactLogin.TYPE),
  FACT_SUBSCRIPTION_CHANGES(
      Kind.HOURLY, "One row per upgrade or downgrade", FactSubscriptionChange.TYPE),

  REJECTS(
      Kind.HOURLY,
      "Lake rows the warehouse refused, one per row and rule broken: the rule,"
          + " why, the event's identity and Kafka coordinates, and the whole row as JSON",
      Reject.TYPE),

  DIM_USERS(
      Kind.DIMENSION, "Users, type 2 on level: one row per user and level period", DimUser.TYPE),
  DIM_SONGS(Kind.DIMENSION, "Songs of the catalog and songs heard but not in it", DimSong.TYPE),
  DIM_ARTISTS(
      Kind.DIMENSION, "Artists of the catalog and artists heard but not in it", DimArtist.TYPE),
  DIM_LOCATION(Kind.DIMENSION, "Places users are in", DimLocation.TYPE),
  DIM_DATETIME(
      Kind.DIMENSION, "Hours, from the first day with events to the last", DimDatetime.TYPE),

  LOAD_MANIFESTS(
      Kind.LOG,
      "One row per hour, source table and run that loaded it, written in the transaction that"
          + " replaces the hour's rows (DuckDB's; on BigQuery the multi-statement transaction after"
          + " the staging loads): the hour's closed mark version, what the lake held and where"
          + " every row went",
      LoadManifest.TYPE);

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
  private final RowType<?> rowType;
  private volatile Schema schema;

  /** A raw table: the lake's event schema, eventsim's field names. */
  WarehouseTable(Kind kind, String description, Supplier<Schema> schema) {
    this.kind = kind;
    this.description = description;
    this.schemaSupplier = schema;
    this.rowType = null;
  }

  /** A modelled table, defined by its typed row. */
  WarehouseTable(Kind kind, String description, RowType<?> rowType) {
    this.kind = kind;
    this.description = description;
    this.schemaSupplier = rowType::schema;
    this.rowType = rowType;
  }

  public String tableName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Kind kind() {
    return kind;
  }

  public String description() {
    return description;
  }

  /**
   * The typed row of a modelled table (facts, dimensions, rejects, manifests).
   *
   * @throws IllegalStateException for a raw table, whose rows are the lake's Avro records
   */
  public RowType<?> rowType() {
    if (rowType == null) {
      throw new IllegalStateException(tableName() + " is a raw table: its rows are lake records");
    }
    return rowType;
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
}
