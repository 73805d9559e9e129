package io.streamify.warehouse.rows;

import io.streamify.rows.Column.Doc;
import io.streamify.rows.Column.Timestamp;
import io.streamify.rows.RowType;
import io.streamify.warehouse.rows.Declare.AcceptedValues;
import io.streamify.warehouse.rows.Declare.References;
import io.streamify.warehouse.rows.Declare.Unique;
import io.streamify.warehouse.rows.Declare.VersionInForce;

/** A row of fact_page_views; grain: one page view (page_view_events). */
@Unique(
    value = {"sessionId", "itemInSession"},
    as = "(session, item)")
public record FactPageView(
    @Doc("When the page was viewed, UTC") @Timestamp long ts,
    @Doc("The hour's key in dim_datetime") @References(DimDatetime.class) long datetimeKey,
    @Doc("eventsim's sessionId") long sessionId,
    @Doc("eventsim's itemInSession; with session_id the event's identity") int itemInSession,
    @Doc("The user (dim_users.user_id); 0 for guests and logged-out users")
        @VersionInForce(value = DimUser.class, at = "ts")
        long userId,
    @Doc("free or paid, as the event gave it") @AcceptedValues({"free", "paid"}) String level,
    @Doc("Logged In, Logged Out, Guest or Cancelled") String auth,
    @Doc("The page, e.g. NextSong, Home, Upgrade") String page,
    @Doc("GET or PUT") String method,
    @Doc("The HTTP status") int status,
    @Doc("The place's key in dim_location; 0 unknown") @References(DimLocation.class)
        long locationKey) {
  /** The row type: the table's schema and coder. */
  public static final RowType<FactPageView> TYPE =
      RowType.of(FactPageView.class, Namespace.WAREHOUSE);
}
