package io.streamify.hourly.staging;

import java.time.Instant;

/** Hand-made staged events for the model's tests: only what a test cares about varies. */
public final class StagedEvents {
  private StagedEvents() {}

  public static long ts(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  /** A listen of a known user in Tampa, FL. */
  public static StagedEvent listen(
      String at, long session, int item, Long userId, String level, String artist, String song) {
    return new StagedEvent(
        ts(at),
        session,
        item,
        userId,
        level,
        userId == null ? null : "Ann",
        userId == null ? null : "Lee",
        userId == null ? null : "F",
        userId == null ? null : ts("2026-01-02T03:04:05Z"),
        "Tampa",
        "FL",
        "33601",
        27.95,
        -82.46,
        "Mozilla/5.0",
        "Logged In",
        artist,
        song,
        215.5,
        null,
        null,
        null,
        null);
  }

  /** A page view; a guest has no user id and no name. */
  public static StagedEvent pageView(
      String at, long session, int item, Long userId, String level, String page, String auth) {
    return new StagedEvent(
        ts(at),
        session,
        item,
        userId,
        level,
        userId == null ? null : "Ann",
        userId == null ? null : "Lee",
        userId == null ? null : "F",
        userId == null ? null : ts("2026-01-02T03:04:05Z"),
        "Tampa",
        "FL",
        "33601",
        27.95,
        -82.46,
        "Mozilla/5.0",
        auth,
        null,
        null,
        null,
        page,
        "GET",
        200,
        null);
  }

  /** A status change away from {@code level} (the level before it, as eventsim gives it). */
  public static StagedEvent statusChange(
      String at, long session, int item, long userId, String level) {
    return new StagedEvent(
        ts(at),
        session,
        item,
        userId,
        level,
        "Ann",
        "Lee",
        "F",
        ts("2026-01-02T03:04:05Z"),
        "Tampa",
        "FL",
        "33601",
        27.95,
        -82.46,
        "Mozilla/5.0",
        "Logged In",
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** A login attempt in {@code city}, {@code state}. */
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
