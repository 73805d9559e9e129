package io.streamify.warehouse.rows;

import io.streamify.rows.Column.Doc;
import io.streamify.rows.Column.Nullable;
import io.streamify.rows.Column.Timestamp;
import io.streamify.rows.RowType;

/** A row of rejects: a lake row the warehouse refused, once per rule it broke. */
public record Reject(
    @Doc("The event's time, UTC") @Timestamp long ts,
    @Doc("The hour's key in dim_datetime") long datetimeKey,
    @Doc("The raw table the row was for, e.g. listen_events") String sourceTable,
    @Doc("The rule's code, e.g. conflicting_duplicate") String rule,
    @Doc("Why, in words") String detail,
    @Doc("The event's sessionId") long sessionId,
    @Doc("The event's itemInSession") int itemInSession,
    @Doc("Where Kafka had the record: partition") @Nullable Integer kafkaPartition,
    @Doc("Where Kafka had the record: offset") @Nullable Long kafkaOffset,
    @Doc("The whole lake row, as JSON") String record) {
  /** The row type: the table's schema and coder. */
  public static final RowType<Reject> TYPE = RowType.of(Reject.class, Namespace.WAREHOUSE);
}
