package io.streamify.warehouse.rows;

import io.streamify.rows.Column.Doc;
import io.streamify.rows.Column.Timestamp;
import io.streamify.rows.RowType;
import io.streamify.warehouse.rows.Declare.AcceptedValues;
import io.streamify.warehouse.rows.Declare.References;
import io.streamify.warehouse.rows.Declare.Unique;
import io.streamify.warehouse.rows.Declare.VersionInForce;

/** A row of fact_streams; grain: one listen (a NextSong page view of listen_events). */
@Unique(
    value = {"sessionId", "itemInSession"},
    as = "(session, item)")
public record FactStream(
    @Doc("When the listen started, UTC") @Timestamp long ts,
    @Doc("The hour's key in dim_datetime") @References(DimDatetime.class) long datetimeKey,
    @Doc("eventsim's sessionId") long sessionId,
    @Doc("eventsim's itemInSession; with session_id the event's identity") int itemInSession,
    @Doc("The user (dim_users.user_id); 0 unknown")
        @VersionInForce(value = DimUser.class, at = "ts")
        long userId,
    @Doc("free or paid, as the event gave it") @AcceptedValues({"free", "paid"}) String level,
    @Doc("The song's key in dim_songs; 0 unknown") @References(DimSong.class) long songKey,
    @Doc("The artist's key in dim_artists; 0 unknown") @References(DimArtist.class) long artistKey,
    @Doc("The place's key in dim_location; 0 unknown") @References(DimLocation.class)
        long locationKey,
    @Doc("The song's length in seconds") double duration,
    @Doc("The browser's user agent") String userAgent) {
  /** The row type: the table's schema and coder. */
  public static final RowType<FactStream> TYPE = RowType.of(FactStream.class, Namespace.WAREHOUSE);
}
