package io.streamify.hourly.staging;

import java.time.Instant;

/** Hand-made staged events for the model's tests: only what a test cares about varies. */
public final class StagedEvents {
  private StagedEvents() {}

  public static long ts(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  /** An event of a user (named Ann Lee, F) or a guest (no id, no name) in Tampa, FL. */
  private static StagedEvent event(
      String at,
      long session,
      int item,
      Long userId,
      String level,
      String auth,
      String artist,
      String song,
      Double duration,
      String page,
      String method,
      Integer status) {
    boolean known = userId != null;
    return new StagedEvent(
        ts(at),
        session,
        item,
        userId,
        level,
        known ? "Ann" : null,
        known ? "Lee" : null,
        known ? "F" : null,
        known ? ts("2026-01-02T03:04:05Z") : null,
        "Tampa",
        "FL",
        "33601",
        27.95,
        -82.46,
        "Mozilla/5.0",
        auth,
        artist,
        song,
        duration,
        page,
        method,
        status,
        null);
  }

  /** A listen of a known user in Tampa, FL. */
  public static StagedEvent listen(
      String at, long session, int item, Long userId, String level, String artist, String song) {
    return event(
        at, session, item, userId, level, "Logged In", artist, song, 215.5, null, null, null);
  }

  /** A page view; a guest has no user id and no name. */
  public static StagedEvent pageView(
      String at, long session, int item, Long userId, String level, String page, String auth) {
    return event(at, session, item, userId, level, auth, null, null, null, page, "GET", 200);
  }

  /** A status change away from {@code level} (the level before it, as eventsim gives it). */
  public static StagedEvent statusChange(
      String at, long session, int item, long userId, String level) {
    return event(at, session, item, userId, level, "Logged In", null, null, null, null, null, null);
  }

  /** A login attempt in {@code city}, {@code state}, without a name, zip or coordinates. */
  public static StagedEvent login(
      String at, long session, int item, Long userId, boolean success, String city, String state) {
    return new StagedEvent(
        ts(at),
        session,
        item,
        userId,
        "free",
        null,
        null,
        null,
        null,
        city,
        state,
        "",
        null,
        null,
        "Mozilla/5.0",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        success);
  }
}
