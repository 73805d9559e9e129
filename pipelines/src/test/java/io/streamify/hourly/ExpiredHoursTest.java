package io.streamify.hourly;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Hours older than the warehouse's partition expiration: BigQuery would drop their rows as they
 * load, so given hours that include one are refused in one line (exit 2), and a catch-up skips them
 * in one line and loads the rest. Day partitions count from the start of their day, and the run
 * gets an hour of margin.
 */
class ExpiredHoursTest {
  static final long DAY = 86_400_000L;
  static final Instant NOW = Instant.parse("2026-11-29T18:20:00Z");

  static long hour(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void anHourIsRefusedOnceItsDayStartedTheExpirationAgo() {
    List<Long> hours =
        List.of(
            hour("2026-11-19T23:00:00Z"),
            hour("2026-11-20T00:00:00Z"),
            hour("2026-11-20T17:00:00Z"),
            hour("2026-11-21T00:00:00Z"));
    // ten days: 2026-11-19 began 10 d 18 h 20 min ago; 2026-11-20 began 9 d 18 h 20 min ago,
    // within the hour's margin only after 23:00 today
    assertThat(
        LoadPlan.expired(hours, OptionalLong.of(10 * DAY), NOW),
        equalTo(List.of(hour("2026-11-19T23:00:00Z"))));
    assertThat(
        LoadPlan.expired(hours, OptionalLong.of(10 * DAY), Instant.parse("2026-11-29T23:00:00Z")),
        equalTo(
            List.of(
                hour("2026-11-19T23:00:00Z"),
                hour("2026-11-20T00:00:00Z"),
                hour("2026-11-20T17:00:00Z"))));
    assertThat(LoadPlan.expired(hours, OptionalLong.empty(), NOW), equalTo(List.of()));
  }

  @Test
  void theCatchUpWindowStartsAtTheFirstHourThatIsNotExpired() {
    long first = LoadPlan.firstUnexpiredHour(10 * DAY, NOW);
    assertThat(first, is(hour("2026-11-20T00:00:00Z")));
    // it is the boundary of expired(): the hour before it is expired, it is not
    assertThat(
        LoadPlan.expired(List.of(first - 3_600_000L, first), OptionalLong.of(10 * DAY), NOW),
        equalTo(List.of(first - 3_600_000L)));
  }

  @Test
  void givenHoursAreRefusedAndACatchUpSkipsThem() {
    LoadPlan plan =
        new LoadPlan(
            List.of(
                hour("2026-11-19T22:00:00Z"),
                hour("2026-11-19T23:00:00Z"),
                hour("2026-11-29T16:00:00Z")),
            Map.of(),
            Optional.empty());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertThat(
        HourlyCommand.withoutExpiredHours(plan, OptionalLong.of(10 * DAY), true, NOW, print),
        is(Optional.empty()));
    assertThat(
        err.toString(StandardCharsets.UTF_8),
        is(
            "streamify hourly: refused: 2 hours,"
                + " 2026-11-19T22 to 2026-11-19T23: older than the warehouse's partition expiration"
                + " (10 days); BigQuery would drop their rows as they load\n"));
    err.reset();
    Optional<LoadPlan> rest =
        HourlyCommand.withoutExpiredHours(plan, OptionalLong.of(10 * DAY), false, NOW, print);
    assertThat(rest.orElseThrow().hours(), equalTo(List.of(hour("2026-11-29T16:00:00Z"))));
    assertThat(
        err.toString(StandardCharsets.UTF_8),
        is(
            "streamify hourly: skipping 2 hours,"
                + " 2026-11-19T22 to 2026-11-19T23: older than the warehouse's partition expiration"
                + " (10 days); BigQuery would drop their rows as they load\n"));
    err.reset();
    assertThat(
        HourlyCommand.withoutExpiredHours(plan, OptionalLong.empty(), true, NOW, print),
        is(Optional.of(plan)));
    assertThat(err.toString(StandardCharsets.UTF_8), is(""));
  }
}
