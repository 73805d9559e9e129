package io.streamify.warehouse;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.avro.Schema;

/**
 * How an hourly run's rows reach BigQuery's day-partitioned tables: each table's rows are loaded
 * into a staging table of the run, then one multi-statement transaction deletes the run's hours
 * from every hourly table, inserts the staged rows and appends the load manifests. A rerun thus
 * replaces exactly its hours (an hour with no rows of a table becomes empty in it, as on DuckDB),
 * and "loaded" means committed: the manifests change in the same transaction as the rows.
 *
 * <p>Why day partitions: a table holds at most 10,000 partitions (BigQuery's quotas page,
 * "Partitioned tables"), which HOUR partitions exhaust after about 14 months; DAY partitions last
 * 27 years. The DELETE's ts ranges prune to the run's days.
 */
public final class BigQueryHourReplacement {
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final long HOUR = 3_600_000L;

  private BigQueryHourReplacement() {}

  /**
   * The staging table of a run and table: {@code _staging_<run>_<table>}, the run id reduced to the
   * letters, digits and underscores a table id may hold.
   */
  public static String stagingTable(String runId, WarehouseTable t) {
    return "_staging_" + runId.replaceAll("[^A-Za-z0-9_]", "_") + "_" + t.tableName();
  }

  /**
   * The transaction that commits a run: for each HOURLY table, {@code DELETE} of the hours
   * (contiguous hours as one range) and {@code INSERT … SELECT} of its columns from its staging
   * table; then the LOG tables' staged rows appended. Tables are {@code `project.dataset.table`}.
   *
   * @param project the project of the warehouse and staging tables
   * @param dataset their dataset
   * @param runId the run whose staging tables hold the rows
   * @param hours the hours to replace, epoch ms of their starts (UTC); none: nothing is deleted
   */
  public static String script(String project, String dataset, String runId, List<Long> hours) {
    String prefix = "`" + project + "." + dataset + ".";
    List<String> ranges = ranges(hours);
    StringBuilder s = new StringBuilder("BEGIN TRANSACTION;\n");
    for (WarehouseTable t : WarehouseTable.values()) {
      if (t.kind() != WarehouseTable.Kind.HOURLY) {
        continue;
      }
      String table = prefix + t.tableName() + "`";
      if (!ranges.isEmpty()) {
        s.append("DELETE FROM ")
            .append(table)
            .append(" WHERE ")
            .append(String.join(" OR ", ranges))
            .append(";\n");
      }
      s.append(insert(prefix, runId, t));
    }
    for (WarehouseTable t : WarehouseTable.values()) {
      if (t.kind() == WarehouseTable.Kind.LOG) {
        s.append(insert(prefix, runId, t));
      }
    }
    return s.append("COMMIT TRANSACTION;\n").toString();
  }

  /**
   * {@code INSERT INTO t (a, b, …) SELECT a, b, … FROM staging}: the columns named, so a table
   * whose columns are in another order (an older table, a column added since) still gets each value
   * in its own column.
   */
  private static String insert(String prefix, String runId, WarehouseTable t) {
    String columns =
        String.join(", ", t.schema().getFields().stream().map(Schema.Field::name).toList());
    return "INSERT INTO "
        + prefix
        + t.tableName()
        + "` ("
        + columns
        + ") SELECT "
        + columns
        + " FROM "
        + prefix
        + stagingTable(runId, t)
        + "`;\n";
  }

  /** {@code (ts >= TIMESTAMP '…' AND ts < TIMESTAMP '…')} per run of contiguous hours. */
  static List<String> ranges(List<Long> hours) {
    List<String> out = new ArrayList<>();
    Long start = null;
    Long end = null;
    for (long h : new TreeSet<>(hours)) {
      if (h % HOUR != 0) {
        throw new IllegalArgumentException("not the start of an hour: " + Instant.ofEpochMilli(h));
      }
      if (end != null && h == end) {
        end = h + HOUR;
        continue;
      }
      if (start != null) {
        out.add(range(start, end));
      }
      start = h;
      end = h + HOUR;
    }
    if (start != null) {
      out.add(range(start, end));
    }
    return out;
  }

  private static String range(long start, long end) {
    return "(ts >= TIMESTAMP '"
        + TS.format(Instant.ofEpochMilli(start))
        + "+00' AND ts <"
        + " TIMESTAMP '"
        + TS.format(Instant.ofEpochMilli(end))
        + "+00')";
  }
}
