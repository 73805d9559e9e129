package io.streamify.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamify.generator.events.Topic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users over time: growth, guests who register, ids, churn, attrition, level changes. */
class UserLifecycleTest {
  private static final String EXAMPLE =
      Generated.fixture("eventsim/example-config.json").toString();

  static long usersCreated(Generated g) {
    Matcher m = Pattern.compile("for ([0-9,]+) users").matcher(g.stderr);
    assertThat(g.stderr, m.find(), is(true));
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  /** Shown page views per userId, in time order. */
  static Map<Long, List<JsonNode>> byUser(Generated g) {
    Map<Long, List<JsonNode>> out = new HashMap<>();
    for (JsonNode e : g.of(Topic.PAGE_VIEW)) {
      if (e.has("userId")) {
        out.computeIfAbsent(e.get("userId").asLong(), k -> new ArrayList<>()).add(e);
      }
    }
    return out;
  }

  @Test
  void newUsersArriveAtTheGrowthRateAsGuestsWhoRegister(@TempDir Path dir) {
    Generated g =
        Generated.run(
            dir,
            "-n",
            "20000",
            "--growth-rate",
            "10",
            "-c",
            EXAMPLE,
            "--first-user-id",
            "1000000",
            "--start",
            "2026-11-24");
    long arrived = usersCreated(g) - 20000;
    // Poisson with mean 20000 × 10 / 365 ≈ 548 (sd ≈ 23): ±80 is three and a half sds.
    assertThat(arrived, allOf(greaterThanOrEqualTo(468L), lessThanOrEqualTo(628L)));

    int registered = 0;
    for (Map.Entry<Long, List<JsonNode>> u : byUser(g).entrySet()) {
      long id = u.getKey();
      assertThat(
          id, allOf(greaterThanOrEqualTo(1_000_000L), lessThan(1_000_000L + usersCreated(g))));
      JsonNode first = u.getValue().get(0);
      for (JsonNode e : u.getValue()) {
        assertThat(e.get("registration").asLong(), lessThanOrEqualTo(e.get("ts").asLong()));
      }
      if (id >= 1_020_000L) {
        // A new user arrives as a guest: they become visible on the page that registers them.
        registered++;
        assertThat(first.get("page").asText(), equalTo("Submit Registration"));
        assertThat(first.get("registration"), equalTo(first.get("ts")));
        assertThat(
            first.get("registration").asLong(),
            greaterThanOrEqualTo(GeneratorCli.parseTime("start", "2026-11-24")));
      }
    }
    assertThat(registered, greaterThan(50));
    // Guests who did not register stay anonymous, keyed by session.
    long guestViews =
        g.of(Topic.PAGE_VIEW).stream().filter(e -> e.get("auth").asText().equals("Guest")).count();
    assertThat(guestViews, greaterThan(100L));
  }

  @Test
  void userIdsStartAtTheFirstUserId(@TempDir Path dir) {
    Generated g =
        Generated.run(
            dir,
            "-n",
            "300",
            "--first-user-id",
            "5000",
            "--start",
            "2026-11-24",
            "--end",
            "2026-11-27",
            "-q");
    Set<Long> ids = byUser(g).keySet();
    assertThat(
        ids.stream().mapToLong(Long::longValue).min().orElseThrow(),
        allOf(greaterThanOrEqualTo(5000L), lessThan(5020L)));
    assertThat(
        ids.stream().mapToLong(Long::longValue).max().orElseThrow(),
        allOf(greaterThan(5280L), lessThan(5300L)));
  }

  @Test
  void cancelledUsersNeverComeBackAndLevelChangesCarryOver(@TempDir Path dir) {
    Generated g =
        Generated.run(dir, "-n", "3000", "--start", "2026-11-02", "--end", "2026-11-16", "-q");
    int cancelled = 0;
    int changes = 0;
    for (List<JsonNode> events : byUser(g).values()) {
      String expectedLevel = null;
      boolean gone = false;
      for (JsonNode e : events) {
        assertThat("event after cancellation: " + e, gone, is(false));
        String page = e.get("page").asText();
        if (expectedLevel != null) {
          assertThat("level carried to " + e, e.get("level").asText(), equalTo(expectedLevel));
        }
        if (page.equals("Cancellation Confirmation")) {
          gone = true;
          cancelled++;
        } else if (page.equals("Submit Upgrade")) {
          expectedLevel = "paid";
          changes++;
        } else if (page.equals("Submit Downgrade")) {
          expectedLevel = "free";
          changes++;
        }
      }
    }
    assertThat(cancelled, greaterThan(5));
    assertThat(changes, greaterThan(20));
  }

  @Test
  void attritionMakesUsersStop(@TempDir Path with, @TempDir Path without) {
    // 13 a year over the 28 days between the first and the last Monday: exp(-13·28/365) ≈ 0.37
    // of the users remain. Daily active users (~450 of 2,000) put the ratio's sd near 0.03.
    String[] args = {
      "-n", "2000", "-c", EXAMPLE, "--start", "2026-11-02", "--end", "2026-12-01", "-q"
    };
    double kept =
        lastOverFirstDayActive(Generated.run(with, concat(args, "--attrition-rate", "13")));
    double baseline = lastOverFirstDayActive(Generated.run(without, args));
    assertThat(kept, allOf(greaterThanOrEqualTo(0.27), lessThanOrEqualTo(0.48)));
    assertThat(baseline, allOf(greaterThanOrEqualTo(0.85), lessThanOrEqualTo(1.15)));
  }

  private static double lastOverFirstDayActive(Generated g) {
    long first = GeneratorCli.parseTime("", "2026-11-02");
    long last = GeneratorCli.parseTime("", "2026-11-30");
    Set<Long> a = new HashSet<>();
    Set<Long> b = new HashSet<>();
    for (JsonNode e : g.of(Topic.PAGE_VIEW)) {
      long ts = e.get("ts").asLong();
      if (e.has("userId")) {
        if (ts < first + 86_400_000L) {
          a.add(e.get("userId").asLong());
        } else if (ts >= last && ts < last + 86_400_000L) {
          b.add(e.get("userId").asLong());
        }
      }
    }
    assertThat(a.size(), greaterThan(300));
    return b.size() / (double) a.size();
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
