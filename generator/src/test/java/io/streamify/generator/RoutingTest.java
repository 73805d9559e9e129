package io.streamify.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamify.generator.events.Topic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routing rules of docs/events.md, checked event by event against the page views: NextSong in
 * listen_events, Submit Upgrade/Downgrade in status_change_events, the page after a Login in
 * auth_events, and (sessionId, itemInSession) unique within each topic.
 */
class RoutingTest {
  static Generated run;
  static Map<String, JsonNode> pageViews = new HashMap<>();

  @BeforeAll
  static void generate(@TempDir Path dir) {
    run =
        Generated.run(
            dir,
            "-n",
            "4000",
            "--growth-rate",
            "20",
            "--seed",
            "11",
            "--start",
            "2026-11-23",
            "--end",
            "2026-11-24T12:00",
            "-q");
    for (JsonNode e : run.of(Topic.PAGE_VIEW)) {
      pageViews.put(key(e), e);
    }
  }

  static String key(JsonNode e) {
    return e.get("sessionId").asLong() + "/" + e.get("itemInSession").asInt();
  }

  @Test
  void eventsAreUniqueBySessionAndItemWithinEachTopic() {
    for (Topic t : Topic.values()) {
      Set<String> keys = new HashSet<>();
      for (JsonNode e : run.of(t)) {
        assertThat(t + " duplicate " + e, keys.add(key(e)), is(true));
      }
    }
  }

  @Test
  void everyNextSongPageViewHasItsListenEventAndNothingElseDoes() {
    Map<String, JsonNode> listens = new HashMap<>();
    run.of(Topic.LISTEN).forEach(e -> listens.put(key(e), e));
    int nextSongs = 0;
    for (JsonNode pv : run.of(Topic.PAGE_VIEW)) {
      JsonNode listen = listens.get(key(pv));
      if (pv.get("page").asText().equals("NextSong")) {
        nextSongs++;
        assertThat("listen for " + pv, listen, notNullValue());
        for (String f :
            List.of(
                "ts",
                "artist",
                "song",
                "duration",
                "auth",
                "level",
                "userId",
                "city",
                "userAgent",
                "registration")) {
          assertThat(f, listen.get(f), equalTo(pv.get(f)));
        }
      }
    }
    assertThat(nextSongs, greaterThan(1000));
    assertThat(listens.size(), is(nextSongs));
  }

  @Test
  void statusChangesAreExactlyTheSubmitUpgradeAndDowngradePagesWithTheLevelBefore() {
    Map<String, JsonNode> changes = new HashMap<>();
    run.of(Topic.STATUS_CHANGE).forEach(e -> changes.put(key(e), e));
    int submits = 0;
    for (JsonNode pv : run.of(Topic.PAGE_VIEW)) {
      String page = pv.get("page").asText();
      boolean submit = page.equals("Submit Upgrade") || page.equals("Submit Downgrade");
      assertThat(pv.toString(), changes.containsKey(key(pv)), is(submit));
      if (submit) {
        submits++;
        JsonNode c = changes.get(key(pv));
        assertThat(
            c.get("level").asText(), equalTo(page.equals("Submit Upgrade") ? "free" : "paid"));
        assertThat(c.get("ts"), equalTo(pv.get("ts")));
        assertThat(c.get("userId"), equalTo(pv.get("userId")));
      }
    }
    assertThat(submits, greaterThan(0));
  }

  @Test
  void authEventsAreExactlyThePagesAfterALogin() {
    Map<String, JsonNode> auths = new HashMap<>();
    run.of(Topic.AUTH).forEach(e -> auths.put(key(e), e));
    int logins = 0;
    for (JsonNode pv : run.of(Topic.PAGE_VIEW)) {
      int item = pv.get("itemInSession").asInt();
      JsonNode before = pageViews.get(pv.get("sessionId").asLong() + "/" + (item - 1));
      if (before == null && item > 0) {
        auths.remove(key(pv)); // the previous page was before the start: either is right
        continue;
      }
      boolean afterLogin = before != null && before.get("page").asText().equals("Login");
      // Login -> Home -> Logout: eventsim also emitted an auth event for the Logout; we must not.
      assertThat(pv.toString(), auths.containsKey(key(pv)), is(afterLogin));
      if (afterLogin) {
        logins++;
        assertThat(
            auths.get(key(pv)).get("success").asBoolean(),
            is(pv.get("auth").asText().equals("Logged In")));
      }
    }
    assertThat(logins, greaterThan(10));
    assertThat(auths.size(), is(logins));
  }

  @Test
  void eachTopicIsInTimeOrderAndSessionsCountTheirItemsFromZero() {
    for (Topic t : Topic.values()) {
      long last = Long.MIN_VALUE;
      for (JsonNode e : run.of(t)) {
        long ts = e.get("ts").asLong();
        assertThat(t + " out of order at " + e, ts >= last, is(true));
        last = ts;
      }
    }
    Map<Long, List<Integer>> items = new HashMap<>();
    for (JsonNode pv : run.of(Topic.PAGE_VIEW)) {
      items
          .computeIfAbsent(pv.get("sessionId").asLong(), k -> new ArrayList<>())
          .add(pv.get("itemInSession").asInt());
    }
    // Sessions that began before the start show up mid-way; the others count 0, 1, 2, ...
    int complete = 0;
    for (List<Integer> seq : items.values()) {
      int first = seq.get(0);
      for (int i = 0; i < seq.size(); i++) {
        assertThat(seq.get(i), is(first + i));
      }
      complete += first == 0 ? 1 : 0;
    }
    assertThat(complete, greaterThan(items.size() / 2));
  }
}
