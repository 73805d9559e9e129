package io.streamify.warehouse.rows;

import io.streamify.rows.Column.Doc;
import io.streamify.rows.Column.Timestamp;
import io.streamify.rows.RowType;
import io.streamify.warehouse.rows.Declare.AcceptedValues;
import io.streamify.warehouse.rows.Declare.References;
import io.streamify.warehouse.rows.Declare.Unique;
import io.streamify.warehouse.rows.Declare.VersionInForce;

/** A row of fact_subscription_changes; grain: one upgrade or downgrade (status_change_events). */
@Unique(
    value = {"sessionId", "itemInSession"},
    as = "(session, item)")
public record FactSubscriptionChange(
    @Doc("When the level changed, UTC") @Timestamp long ts,
    @Doc("The hour's key in dim_datetime") @References(DimDatetime.class) long datetimeKey,
    @Doc("eventsim's sessionId") long sessionId,
    @Doc("eventsim's itemInSession; with session_id the event's identity") int itemInSession,
    @Doc("The user (dim_users.user_id); 0 unknown")
        @VersionInForce(value = DimUser.class, at = "ts")
        long userId,
    @Doc("The level before the change (the event's level)") @AcceptedValues({"free", "paid"})
        String fromLevel,
    @Doc("The level after it") @AcceptedValues({"free", "paid"}) String toLevel,
    @Doc("The place's key in dim_location; 0 unknown") @References(DimLocation.class)
        long locationKey) {
  /** The row type: the table's schema and coder. */
  public static final RowType<FactSubscriptionChange> TYPE =
      RowType.of(FactSubscriptionChange.class, Namespace.WAREHOUSE);
}
