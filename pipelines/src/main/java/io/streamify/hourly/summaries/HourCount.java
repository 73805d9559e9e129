package io.streamify.hourly.summaries;

import io.streamify.lake.TableHour;
import io.streamify.rows.Column.DefaultLong;
import io.streamify.rows.Column.Doc;
import io.streamify.rows.Column.Timestamp;
import io.streamify.rows.RowType;

/**
 * Where the rows of one hour of one event table went: a summary row of {@link Summary#HOUR_COUNTS}.
 * lake = kept + duplicates + rejected. (Summaries written before the last two existed read them as
 * 0.)
 */
public record HourCount(
    @Doc("The hour, UTC") @Timestamp long hourStart,
    @Doc("The event table") String tableName,
    @Doc("Rows in the lake") long lakeRows,
    @Doc("Rows kept in the raw table") long distinctRows,
    @Doc("Copies removed as duplicates") @DefaultLong(0) long duplicateRows,
    @Doc("Rows rejected") @DefaultLong(0) long rejectedRows) {
  public static final RowType<HourCount> TYPE = RowType.of(HourCount.class, Summary.NAMESPACE);

  /** The hour and table counted. */
  public TableHour tableHour() {
    return new TableHour(tableName, hourStart);
  }
}
