package io.streamify.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamify.generator.events.Topic;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statistical sanity of simulated days with eventsim's example config, against eventsim's own
 * figures (docs/build-facts.md: per user per weekday ~2.6 page views, ~2.1 listens, ~0.04 auth
 * events).
 *
 * <p>Tolerances: 20,000 users make ~2,500 sessions a weekday; with session lengths roughly
 * geometric the relative standard deviation of a day's count is about sqrt(2/2500) ≈ 3%, so ±15%
 * bands sit five standard deviations out while still catching a broken model (a lost transition or
 * a wrong time unit moves these figures by far more).
 */
class SimulatedDayStatisticsTest {
  static final int USERS = 20_000;
  static Generated tuesday;
  static Generated sunday;

  @BeforeAll
  static void generate(@TempDir Path a, @TempDir Path b) {
    String config = Generated.fixture("eventsim/example-config.json").toString();
    tuesday = Generated.run(a, "-n", "" + USERS, "-c", config, "--start", "2026-11-24", "-q");
    sunday = Generated.run(b, "-n", "" + USERS, "-c", config, "--start", "2026-11-22", "-q");
  }

  @Test
  void eventsPerUserOnAWeekdayMatchEventsim() {
    double pageViews = tuesday.of(Topic.PAGE_VIEW).size() / (double) USERS;
    double listens = tuesday.of(Topic.LISTEN).size() / (double) USERS;
    double auths = tuesday.of(Topic.AUTH).size() / (double) USERS;
    assertThat(pageViews, allOf(greaterThanOrEqualTo(2.6 * 0.85), lessThanOrEqualTo(2.6 * 1.15)));
    assertThat(listens, allOf(greaterThanOrEqualTo(2.1 * 0.85), lessThanOrEqualTo(2.1 * 1.15)));
    // ~750 auth events a day: ±30% is still more than five standard deviations.
    assertThat(auths, allOf(greaterThanOrEqualTo(0.04 * 0.7), lessThanOrEqualTo(0.04 * 1.3)));
  }

  @Test
  void sundayTrafficIsAboutHalfAWeekdays() {
    // weekend-damping 0.5 drops half of the weekend's session starts.
    double ratio = sunday.of(Topic.PAGE_VIEW).size() / (double) tuesday.of(Topic.PAGE_VIEW).size();
    assertThat(ratio, allOf(greaterThanOrEqualTo(0.42), lessThanOrEqualTo(0.62)));
  }

  @Test
  void trafficPeaksInTheAfternoonUtcAndBottomsOutAtNight() {
    long[] hours = new long[24];
    for (JsonNode e : tuesday.of(Topic.PAGE_VIEW)) {
      hours[(int) ((e.get("ts").asLong() / 3_600_000L) % 24)]++;
    }
    int peak = 0;
    int trough = 0;
    for (int h = 0; h < 24; h++) {
      peak = hours[h] > hours[peak] ? h : peak;
      trough = hours[h] < hours[trough] ? h : trough;
    }
    // The warp's density peaks at 15:00 and bottoms out at 03:00 UTC; sessions last about an hour.
    assertThat(peak, allOf(greaterThanOrEqualTo(13), lessThanOrEqualTo(17)));
    assertThat(trough, allOf(greaterThanOrEqualTo(1), lessThanOrEqualTo(8)));
    // With damping 0.09375 the density swings (1 + 2πd)/(1 − 2πd) ≈ 3.9×; hourly bins smooth it.
    assertThat(hours[peak] / (double) hours[trough], greaterThan(2.5));
  }

  @Test
  void aSixthOfActiveUsersArePaidAsTheConfigsLevelWeightsSay() {
    // levels: free 10, paid 2. Session rates do not depend on the level, so the active users keep
    // that mix: ~5,000 users give a standard deviation of 0.5 points.
    Map<Long, String> firstLevel = new HashMap<>();
    for (JsonNode e : tuesday.of(Topic.PAGE_VIEW)) {
      if (e.has("userId")) {
        firstLevel.putIfAbsent(e.get("userId").asLong(), e.get("level").asText());
      }
    }
    long paid = firstLevel.values().stream().filter("paid"::equals).count();
    double share = paid / (double) firstLevel.size();
    assertThat(firstLevel.size(), greaterThan(4000));
    assertThat(
        share, allOf(greaterThanOrEqualTo(1 / 6.0 - 0.035), lessThanOrEqualTo(1 / 6.0 + 0.035)));
  }
}
