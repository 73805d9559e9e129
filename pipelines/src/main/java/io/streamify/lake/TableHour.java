package io.streamify.lake;

import io.streamify.rows.Column.Timestamp;
import io.streamify.rows.RowType;
import java.time.Instant;

/**
 * One hour of one event table: the grain of the lake's partitions, of the hourly run's counts and
 * of the warehouse's load manifests. A typed key (value equality, a deterministic coder).
 *
 * @param table the event table's name, e.g. listen_events
 * @param hourStart the hour's start, epoch ms UTC (a multiple of an hour)
 */
public record TableHour(String table, @Timestamp long hourStart) {
  public static final RowType<TableHour> TYPE =
      RowType.of(TableHour.class, "io.streamify.lake.avro");

  /** The hour of {@code table} that {@code epochMillis} falls in. */
  public static TableHour of(String table, long epochMillis) {
    return new TableHour(table, Math.floorDiv(epochMillis, Hours.MILLIS) * Hours.MILLIS);
  }

  /** The hour's key in dim_datetime, yyyyMMddHH. */
  public long datetimeKey() {
    return Hours.datetimeKey(hourStart);
  }

  /** "listen_events 2026-11-24T13", for messages. */
  @Override
  public String toString() {
    return table + " " + Hours.format(Instant.ofEpochMilli(hourStart));
  }
}
