package io.streamify.warehouse.rows;

import io.streamify.rows.Column.Doc;
import io.streamify.rows.Column.Timestamp;
import io.streamify.rows.RowType;

/** A row of fact_streams; grain: one listen (a NextSong page view of listen_events). */
public record FactStream(
    @Doc("When the listen started, UTC") @Timestamp long ts,
    @Doc("The hour's key in dim_datetime") long datetimeKey,
    @Doc("eventsim's sessionId") long sessionId,
    @Doc("eventsim's itemInSession; with session_id the event's identity") int itemInSession,
    @Doc("The user (dim_users.user_id); 0 unknown") long userId,
    @Doc("free or paid, as the event gave it") String level,
    @Doc("The song's key in dim_songs; 0 unknown") long songKey,
    @Doc("The artist's key in dim_artists; 0 unknown") long artistKey,
    @Doc("The place's key in dim_location; 0 unknown") long locationKey,
    @Doc("The song's length in seconds") double duration,
    @Doc("The browser's user agent") String userAgent) {
  /** The row type: the table's schema and coder. */
  public static final RowType<FactStream> TYPE = RowType.of(FactStream.class, Namespace.WAREHOUSE);
}
