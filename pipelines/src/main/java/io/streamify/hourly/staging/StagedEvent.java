package io.streamify.hourly.staging;

import io.streamify.lake.Hours;
import io.streamify.rows.Column.Nullable;
import io.streamify.rows.Column.Timestamp;
import io.streamify.rows.RowType;
import io.streamify.warehouse.Keys;
import io.streamify.warehouse.UsStates;
import org.apache.avro.generic.GenericRecord;

/**
 * An event as the model reads it: a kept raw row of any event table (cleaned and de-duplicated by
 * {@link CleanAndDeduplicate}), its fields renamed from eventsim's camelCase here and nowhere else
 * ({@link #of}). Fields an event table does not have are null: {@code artist}, {@code song}, {@code
 * duration} outside listens (and page views, where they are optional), {@code page}, {@code
 * method}, {@code status} outside page views, {@code success} outside logins, {@code auth} in
 * logins.
 */
public record StagedEvent(
    @Timestamp long ts,
    long sessionId,
    int itemInSession,
    @Nullable Long userId,
    String level,
    @Nullable String firstName,
    @Nullable String lastName,
    @Nullable String gender,
    @Timestamp @Nullable Long registration,
    String city,
    String state,
    String zip,
    @Nullable Double latitude,
    @Nullable Double longitude,
    String userAgent,
    @Nullable String auth,
    @Nullable String artist,
    @Nullable String song,
    @Nullable Double duration,
    @Nullable String page,
    @Nullable String method,
    @Nullable Integer status,
    @Nullable Boolean success) {
  public static final RowType<StagedEvent> TYPE =
      RowType.of(StagedEvent.class, "io.streamify.hourly.avro");

  /**
   * The staged event of a raw row of an event table (eventsim's field names: userId, sessionId,
   * itemInSession, lat, lon, …). Required text missing from the row reads as empty; the state code
   * is normalised ({@link UsStates#normalize}).
   */
  public static StagedEvent of(GenericRecord raw) {
    return new StagedEvent(
        (Long) raw.get("ts"),
        (Long) raw.get("sessionId"),
        (Integer) raw.get("itemInSession"),
        (Long) field(raw, "userId"),
        text(raw, "level"),
        optionalText(raw, "firstName"),
        optionalText(raw, "lastName"),
        optionalText(raw, "gender"),
        (Long) field(raw, "registration"),
        text(raw, "city"),
        UsStates.normalize(text(raw, "state")),
        text(raw, "zip"),
        (Double) field(raw, "lat"),
        (Double) field(raw, "lon"),
        text(raw, "userAgent"),
        optionalText(raw, "auth"),
        optionalText(raw, "artist"),
        optionalText(raw, "song"),
        (Double) field(raw, "duration"),
        optionalText(raw, "page"),
        optionalText(raw, "method"),
        (Integer) field(raw, "status"),
        (Boolean) field(raw, "success"));
  }

  /** The hour's key in dim_datetime, yyyyMMddHH. */
  public long datetimeKey() {
    return Hours.datetimeKey(ts);
  }

  /** The user's id, or 0, the unknown user, for guests and logged-out users. */
  public long userIdOrUnknown() {
    return userId == null ? Keys.UNKNOWN : userId;
  }

  /** The place's key in dim_location (0 without a city or state). */
  public long locationKey() {
    return Keys.location(city, state, zip);
  }

  /** The artist's key in dim_artists (0 without an artist). */
  public long artistKey() {
    return Keys.artist(artist == null ? "" : artist);
  }

  /** The song's key in dim_songs (0 without an artist or a title). */
  public long songKey() {
    return Keys.song(artist == null ? "" : artist, song == null ? "" : song);
  }

  /** The level a subscription change leads to: the other of free and paid. */
  public String otherLevel() {
    return "paid".equals(level) ? "free" : "paid";
  }

  private static Object field(GenericRecord r, String name) {
    return r.getSchema().getField(name) == null ? null : r.get(name);
  }

  private static String text(GenericRecord r, String name) {
    Object v = field(r, name);
    return v == null ? "" : v.toString();
  }

  private static String optionalText(GenericRecord r, String name) {
    Object v = field(r, name);
    return v == null ? null : v.toString();
  }
}
