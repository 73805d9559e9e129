package io.streamify.warehouse.rows;

import io.streamify.rows.Column.Date;
import io.streamify.rows.Column.Doc;
import io.streamify.rows.Column.Timestamp;
import io.streamify.rows.RowType;
import io.streamify.warehouse.rows.Declare.Key;

/** A row of dim_datetime: one hour, UTC. */
public record DimDatetime(
    @Doc("yyyyMMddHH of the hour, UTC") @Key long datetimeKey,
    @Doc("The hour's start, UTC") @Timestamp long hourStart,
    @Doc("The day") @Date int date,
    @Doc("The year") int year,
    @Doc("The quarter, 1-4") int quarter,
    @Doc("The month, 1-12") int month,
    @Doc("The month's English name") String monthName,
    @Doc("The day of the month") int day,
    @Doc("The hour of the day, 0-23") int hour,
    @Doc("ISO day of the week: 1 Monday … 7 Sunday") int dayOfWeek,
    @Doc("The day's English name") String dayName,
    @Doc("ISO week of the week-based year") int weekOfYear,
    @Doc("Saturday or Sunday") boolean isWeekend) {
  /** The row type: the table's schema and coder. */
  public static final RowType<DimDatetime> TYPE =
      RowType.of(DimDatetime.class, Namespace.WAREHOUSE);
}
