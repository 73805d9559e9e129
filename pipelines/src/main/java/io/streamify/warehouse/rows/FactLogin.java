package io.streamify.warehouse.rows;

import io.streamify.rows.Column.Doc;
import io.streamify.rows.Column.Timestamp;
import io.streamify.rows.RowType;
import io.streamify.warehouse.rows.Declare.AcceptedValues;
import io.streamify.warehouse.rows.Declare.References;
import io.streamify.warehouse.rows.Declare.Unique;
import io.streamify.warehouse.rows.Declare.VersionInForce;

/** A row of fact_logins; grain: one login attempt (auth_events), successful or not. */
@Unique(
    value = {"sessionId", "itemInSession"},
    as = "(session, item)")
public record FactLogin(
    @Doc("When the attempt was made, UTC") @Timestamp long ts,
    @Doc("The hour's key in dim_datetime") @References(DimDatetime.class) long datetimeKey,
    @Doc("eventsim's sessionId") long sessionId,
    @Doc("eventsim's itemInSession; with session_id the event's identity") int itemInSession,
    @Doc("The user (dim_users.user_id); 0 unknown")
        @VersionInForce(value = DimUser.class, at = "ts")
        long userId,
    @Doc("free or paid, as the event gave it") @AcceptedValues({"free", "paid"}) String level,
    @Doc("Whether the login succeeded") boolean success,
    @Doc("The place's key in dim_location; 0 unknown") @References(DimLocation.class)
        long locationKey) {
  /** The row type: the table's schema and coder. */
  public static final RowType<FactLogin> TYPE = RowType.of(FactLogin.class, Namespace.WAREHOUSE);
}
