package io.streamify.warehouse;

import io.streamify.lake.Hours;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The local warehouse: a DuckDB database file holding every {@link WarehouseTable}, created from
 * the tables' schemas. A load replaces, in one transaction, the processed hours of the hourly
 * tables and the whole of each dimension, from Parquet files the pipeline staged; readers see the
 * warehouse before or after a run, never half of one.
 */
public final class DuckDbWarehouse implements AutoCloseable {
  private final Connection connection;

  private DuckDbWarehouse(Connection connection) {
    this.connection = connection;
  }

  /** How long {@link #open} waits for another process's lock (a dashboard's read). */
  static final long LOCK_WAIT_MILLIS = 30_000;

  /**
   * Opens (creating if needed) the database file and its tables. Another process holding the file
   * (a standalone dashboard's read-only query, for a moment) is waited for up to 30 s.
   *
   * @throws SQLException when the file cannot be opened; still locked after the wait, with DuckDB's
   *     message naming the holder
   */
  public static DuckDbWarehouse open(String file) throws SQLException {
    long deadline = System.currentTimeMillis() + LOCK_WAIT_MILLIS;
    Connection c;
    while (true) {
      try {
        c = DriverManager.getConnection("jdbc:duckdb:" + file);
        break;
      } catch (SQLException e) {
        if (lockHolder(e).isEmpty() || System.currentTimeMillis() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException i) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      for (WarehouseTable t : WarehouseTable.values()) {
        s.execute(createTable(t));
        for (String add : addedColumns(t)) {
          s.execute(add);
        }
      }
      for (String v : WarehouseSql.VIEWS) {
        s.execute(WarehouseSql.duckDbView(v));
      }
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return new DuckDbWarehouse(c);
  }

  public Connection connection() {
    return connection;
  }

  /**
   * Whether DuckDB refused a connection because another process holds the file's write lock: empty
   * if not; else " (PID n)" naming the holder when DuckDB says, or "" when it does not.
   */
  public static Optional<String> lockHolder(SQLException e) {
    String m = String.valueOf(e.getMessage());
    if (!m.contains("lock")) {
      return Optional.empty();
    }
    Matcher pid = Pattern.compile("PID (\\d+)").matcher(m);
    return Optional.of(pid.find() ? " (PID " + pid.group(1) + ")" : "");
  }

  /**
   * Why an existing file cannot be a warehouse: it is not a DuckDB database (one line, from
   * DuckDB), or empty when it is one (also when another process holds its write lock, or this
   * process has it open read-write).
   */
  public static Optional<String> notADuckDbDatabase(Path file) {
    Properties p = new Properties();
    p.setProperty("duckdb.read_only", "true");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file, p)) {
      return Optional.empty();
    } catch (SQLException e) {
      String m = String.valueOf(e.getMessage());
      // held by another process (its write lock), or open in this one with another
      // configuration (streamify local's audit): a DuckDB database all the same
      return lockHolder(e).isPresent() || m.contains("different configuration")
          ? Optional.empty()
          : Optional.of(m.strip().lines().findFirst().orElse(m));
    }
  }

  /** DuckDB's CREATE TABLE for a table, from its schema. */
  public static String createTable(WarehouseTable t) {
    List<String> columns = new ArrayList<>();
    for (Schema.Field f : t.schema().getFields()) {
      Schema s = f.schema();
      boolean nullable = false;
      if (s.getType() == Schema.Type.UNION) {
        nullable = s.getTypes().stream().anyMatch(x -> x.getType() == Schema.Type.NULL);
        s =
            s.getTypes().stream()
                .filter(x -> x.getType() != Schema.Type.NULL)
                .findFirst()
                .orElseThrow();
      }
      columns.add(f.name() + " " + duckType(s) + (nullable ? "" : " NOT NULL"));
    }
    return "CREATE TABLE IF NOT EXISTS "
        + t.tableName()
        + " (\n  "
        + String.join(",\n  ", columns)
        + "\n)";
  }

  /**
   * A warehouse made by an earlier version lacks the nullable columns added since (the ledger's
   * kafka_partition and kafka_offset): they are added, empty for the rows already there.
   */
  static List<String> addedColumns(WarehouseTable t) {
    List<String> adds = new ArrayList<>();
    for (Schema.Field f : t.schema().getFields()) {
      Schema s = f.schema();
      if (s.getType() == Schema.Type.UNION) {
        Schema value =
            s.getTypes().stream()
                .filter(x -> x.getType() != Schema.Type.NULL)
                .findFirst()
                .orElseThrow();
        adds.add(
            "ALTER TABLE "
                + t.tableName()
                + " ADD COLUMN IF NOT EXISTS "
                + f.name()
                + " "
                + duckType(value));
      }
    }
    return adds;
  }

  /** DuckDB's column type for an Avro type (a nullable union: its non-null branch). */
  public static String duckType(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      s =
          s.getTypes().stream()
              .filter(x -> x.getType() != Schema.Type.NULL)
              .findFirst()
              .orElseThrow();
    }
    LogicalType logical = s.getLogicalType();
    if (logical instanceof LogicalTypes.TimestampMillis) {
      return "TIMESTAMPTZ";
    }
    if (logical instanceof LogicalTypes.Date) {
      return "DATE";
    }
    return switch (s.getType()) {
      case LONG -> "BIGINT";
      case INT -> "INTEGER";
      case DOUBLE -> "DOUBLE";
      case FLOAT -> "FLOAT";
      case BOOLEAN -> "BOOLEAN";
      case STRING -> "VARCHAR";
      case BYTES -> "BLOB";
      default -> throw new IllegalArgumentException("no DuckDB type for " + s);
    };
  }

  /**
   * Replaces the given hours of every hourly table and every dimension with the staged files (per
   * table; a table without files becomes empty for those hours) and appends the staged rows of the
   * log tables (the load manifests), in one transaction.
   */
  public void replace(List<Long> hours, Map<WarehouseTable, List<String>> staged)
      throws SQLException {
    replace(hours, staged, Set.of());
  }

  /**
   * As above, but the {@code held} hours are left as they are: not deleted, and the staged rows of
   * those hours (hourly tables by {@code ts}, logs by {@code hour_start}) not inserted.
   */
  public void replace(List<Long> hours, Map<WarehouseTable, List<String>> staged, Set<Long> held)
      throws SQLException {
    List<Long> replaced = hours.stream().filter(h -> !held.contains(h)).toList();
    boolean auto = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      for (WarehouseTable t : WarehouseTable.values()) {
        String notHeld = "TRUE";
        if (t.kind() == WarehouseTable.Kind.LOG) {
          // appended: a log of loads, committed with them
          notHeld = held.isEmpty() ? "TRUE" : "NOT (" + inHours("hour_start", held) + ")";
        } else if (t.kind() == WarehouseTable.Kind.HOURLY) {
          if (!replaced.isEmpty()) {
            s.execute("DELETE FROM " + t.tableName() + " WHERE " + inHours("ts", replaced));
          }
          notHeld = held.isEmpty() ? "TRUE" : "NOT (" + inHours("ts", held) + ")";
        } else {
          s.execute("DELETE FROM " + t.tableName());
        }
        List<String> files = staged.getOrDefault(t, List.of());
        if (!files.isEmpty()) {
          String columns =
              t.schema().getFields().stream()
                  .map(Schema.Field::name)
                  .collect(Collectors.joining(", "));
          String list =
              files.stream()
                  .map(f -> "'" + f.replace("'", "''") + "'")
                  .collect(Collectors.joining(", "));
          s.execute(
              "INSERT INTO "
                  + t.tableName()
                  + " ("
                  + columns
                  + ") SELECT "
                  + columns
                  + " FROM read_parquet(["
                  + list
                  + "]) WHERE "
                  + notHeld);
        }
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(auto);
    }
  }

  private static String inHours(String column, Collection<Long> hours) {
    return hours.stream()
        .map(
            h ->
                "("
                    + column
                    + " >= make_timestamptz("
                    + h * 1000
                    + ") AND "
                    + column
                    + " < make_timestamptz("
                    + (h + Hours.MILLIS) * 1000
                    + "))")
        .collect(Collectors.joining(" OR "));
  }

  /** Rows per table, e.g. "listen_events 123 rows, …", for a run's closing line. */
  public static String summary(String file) {
    try (DuckDbWarehouse w = open(file);
        Statement s = w.connection.createStatement()) {
      List<String> parts = new ArrayList<>();
      for (WarehouseTable t : WarehouseTable.values()) {
        try (var r = s.executeQuery("SELECT count(*) FROM " + t.tableName())) {
          r.next();
          parts.add(t.tableName() + " " + r.getLong(1));
        }
      }
      return String.join(", ", parts) + " rows";
    } catch (SQLException e) {
      return "(cannot count rows: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
