package io.streamify.audit;

import io.streamify.warehouse.BigQuerySql;
import io.streamify.warehouse.WarehouseTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * What the warehouse holds per hour, for an audit: rows of every raw and fact table, rejected rows
 * per source table, and each hour's latest load manifest. The same queries on DuckDB and on
 * BigQuery, in each one's dialect.
 */
final class WarehouseCounts {
  /** The latest load of an hour and source table, as its manifest row says. */
  record Manifest(
      String closedVersion,
      long lakeFiles,
      long lakeRows,
      long duplicateRows,
      long rejectedRows,
      long rawRows,
      long factRows) {}

  /** Table name → hour start → rows (raw and fact tables). */
  final Map<String, Map<Long, Long>> rows = new HashMap<>();

  /** Source table → hour start → rows in the rejects table. */
  final Map<String, Map<Long, Long>> rejects = new HashMap<>();

  /** Source table → hour start → latest manifest. */
  final Map<String, Map<Long, Manifest>> manifests = new HashMap<>();

  long rows(WarehouseTable t, long hour) {
    return rows.getOrDefault(t.tableName(), Map.of()).getOrDefault(hour, 0L);
  }

  long rejects(String source, long hour) {
    return rejects.getOrDefault(source, Map.of()).getOrDefault(hour, 0L);
  }

  Manifest manifest(String source, long hour) {
    return manifests.getOrDefault(source, Map.of()).get(hour);
  }

  /** A query's text for one engine: hour of a timestamp and epoch ms of one. */
  interface Dialect {
    String hourMillis(String column);

    String millis(String column);
  }

  static final Dialect DUCKDB =
      new Dialect() {
        @Override
        public String hourMillis(String column) {
          return "epoch_ms(date_trunc('hour', " + column + "))";
        }

        @Override
        public String millis(String column) {
          return "epoch_ms(" + column + ")";
        }
      };

  static final Dialect BIGQUERY =
      new Dialect() {
        @Override
        public String hourMillis(String column) {
          return "UNIX_MILLIS(TIMESTAMP_TRUNC(" + column + ", HOUR))";
        }

        @Override
        public String millis(String column) {
          return "UNIX_MILLIS(" + column + ")";
        }
      };

  /** The queries, in order: rows per table and hour, rejects, manifests. */
  static List<String> queries(Dialect d, UnaryOperator<String> table, String from, String to) {
    List<String> q = new ArrayList<>();
    for (WarehouseTable t : WarehouseTable.values()) {
      if (t.isRaw() || t.isFact()) {
        q.add(
            "SELECT "
                + d.hourMillis("ts")
                + " AS hour, count(*) FROM "
                + table.apply(t.tableName())
                + " WHERE ts >= "
                + from
                + " AND ts < "
                + to
                + " GROUP BY hour");
      }
    }
    q.add(
        "SELECT source_table, "
            + d.hourMillis("ts")
            + " AS hour, count(*) FROM "
            + table.apply("rejects")
            + " WHERE ts >= "
            + from
            + " AND ts < "
            + to
            + " GROUP BY source_table, hour");
    q.add(
        "SELECT source_table, "
            + d.millis("hour_start")
            + ", closed_version, lake_files,"
            + " lake_rows, duplicate_rows, rejected_rows, raw_rows, fact_rows FROM "
            + table.apply("load_manifests")
            + " WHERE hour_start >= "
            + from
            + " AND hour_start < "
            + to
            + " QUALIFY row_number() OVER (PARTITION BY source_table, hour_start"
            + " ORDER BY loaded_at DESC) = 1");
    return q;
  }

  /**
   * A read-only connection; if this process already holds the file read-write (the local stack's
   * hourly runner), DuckDB refuses a second configuration, so the audit shares that one — it only
   * ever runs SELECTs.
   */
  private static Connection open(String file, Properties readOnly) throws SQLException {
    try {
      return DriverManager.getConnection("jdbc:duckdb:" + file, readOnly);
    } catch (SQLException e) {
      if (String.valueOf(e.getMessage()).contains("different configuration")) {
        return DriverManager.getConnection("jdbc:duckdb:" + file);
      }
      throw e;
    }
  }

  /** Counts for hours from {@code fromHour} (included) to {@code toHour} (excluded), DuckDB. */
  static WarehouseCounts duckDb(String file, long fromHour, long toHour) throws Exception {
    WarehouseCounts c = new WarehouseCounts();
    List<List<List<String>>> results = new ArrayList<>();
    if (!Files.isRegularFile(Path.of(file))) {
      throw new IllegalArgumentException("no warehouse at " + file);
    }
    // read-only: an audit never changes what it audits
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    try (Connection db = open(file, readOnly)) {
      try (Statement s = db.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT count(*) FROM information_schema.tables WHERE table_name = 'load_manifests'")) {
        r.next();
        if (r.getLong(1) == 0) {
          throw new IllegalArgumentException(
              file
                  + " is not a Streamify warehouse (it has no"
                  + " load_manifests table: no hourly run has loaded it)");
        }
      }
      for (String sql :
          queries(
              DUCKDB,
              name -> name,
              "make_timestamptz(?::BIGINT * 1000)",
              "make_timestamptz(?::BIGINT * 1000)")) {
        try (PreparedStatement s = db.prepareStatement(sql)) {
          s.setLong(1, fromHour);
          s.setLong(2, toHour);
          List<List<String>> rows = new ArrayList<>();
          try (ResultSet r = s.executeQuery()) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
              List<String> row = new ArrayList<>();
              for (int i = 1; i <= n; i++) {
                row.add(r.getString(i));
              }
              rows.add(row);
            }
          }
          results.add(rows);
        }
      }
    }
    c.fill(results);
    return c;
  }

  /** The same on BigQuery ({@code project:dataset}). */
  static WarehouseCounts bigQuery(String warehouse, long fromHour, long toHour) throws Exception {
    BigQuerySql sql = BigQuerySql.open(warehouse, "streamify-audit");
    WarehouseCounts c = new WarehouseCounts();
    List<List<List<String>>> results = new ArrayList<>();
    for (String q :
        queries(BIGQUERY, sql::table, "TIMESTAMP_MILLIS(@from_ms)", "TIMESTAMP_MILLIS(@to_ms)")) {
      results.add(sql.query(q, Map.of("from_ms", fromHour, "to_ms", toHour)).orElse(List.of()));
    }
    c.fill(results);
    return c;
  }

  private void fill(List<List<List<String>>> results) {
    int i = 0;
    for (WarehouseTable t : WarehouseTable.values()) {
      if (t.isRaw() || t.isFact()) {
        Map<Long, Long> perHour = new TreeMap<>();
        for (List<String> r : results.get(i++)) {
          perHour.put(Long.parseLong(r.get(0)), Long.parseLong(r.get(1)));
        }
        rows.put(t.tableName(), perHour);
      }
    }
    for (List<String> r : results.get(i++)) {
      rejects
          .computeIfAbsent(r.get(0), x -> new TreeMap<>())
          .put(Long.parseLong(r.get(1)), Long.parseLong(r.get(2)));
    }
    for (List<String> r : results.get(i)) {
      manifests
          .computeIfAbsent(r.get(0), x -> new TreeMap<>())
          .put(
              Long.parseLong(r.get(1)),
              new Manifest(
                  r.get(2),
                  Long.parseLong(r.get(3)),
                  Long.parseLong(r.get(4)),
                  Long.parseLong(r.get(5)),
                  Long.parseLong(r.get(6)),
                  Long.parseLong(r.get(7)),
                  Long.parseLong(r.get(8))));
    }
  }
}
