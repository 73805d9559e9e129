package io.streamify.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamify.generator.events.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every event against the contract of docs/events.md: exactly these fields with these JSON types,
 * user fields absent (not null) for Guest and Logged Out, song fields on NextSong page views only.
 */
class EventContractTest {
  enum Type {
    STRING,
    LONG,
    DOUBLE,
    BOOLEAN
  }

  static final Map<String, Type> LOCATION =
      fields(
          "city",
          Type.STRING,
          "zip",
          Type.STRING,
          "state",
          Type.STRING,
          "userAgent",
          Type.STRING,
          "lon",
          Type.DOUBLE,
          "lat",
          Type.DOUBLE);
  static final Map<String, Type> USER =
      fields(
          "userId",
          Type.LONG,
          "lastName",
          Type.STRING,
          "firstName",
          Type.STRING,
          "gender",
          Type.STRING,
          "registration",
          Type.LONG);
  static final Map<String, Type> SONG =
      fields("artist", Type.STRING, "song", Type.STRING, "duration", Type.DOUBLE);
  static final Map<Topic, Map<String, Type>> REQUIRED =
      Map.of(
          Topic.LISTEN,
              fields(
                  "artist",
                  Type.STRING,
                  "song",
                  Type.STRING,
                  "duration",
                  Type.DOUBLE,
                  "ts",
                  Type.LONG,
                  "sessionId",
                  Type.LONG,
                  "auth",
                  Type.STRING,
                  "level",
                  Type.STRING,
                  "itemInSession",
                  Type.LONG),
          Topic.PAGE_VIEW,
              fields(
                  "ts",
                  Type.LONG,
                  "sessionId",
                  Type.LONG,
                  "page",
                  Type.STRING,
                  "auth",
                  Type.STRING,
                  "method",
                  Type.STRING,
                  "status",
                  Type.LONG,
                  "level",
                  Type.STRING,
                  "itemInSession",
                  Type.LONG),
          Topic.AUTH,
              fields(
                  "ts",
                  Type.LONG,
                  "sessionId",
                  Type.LONG,
                  "level",
                  Type.STRING,
                  "itemInSession",
                  Type.LONG,
                  "success",
                  Type.BOOLEAN),
          Topic.STATUS_CHANGE,
              fields(
                  "ts",
                  Type.LONG,
                  "sessionId",
                  Type.LONG,
                  "auth",
                  Type.STRING,
                  "level",
                  Type.STRING,
                  "itemInSession",
                  Type.LONG));

  static Generated day;

  @BeforeAll
  static void generate(@TempDir Path dir) {
    // Growth brings guests (who may register); two days include a weekday and a Saturday.
    day =
        Generated.run(
            dir,
            "-n",
            "3000",
            "--growth-rate",
            "20",
            "--seed",
            "7",
            "--start",
            "2026-11-20",
            "--end",
            "2026-11-22",
            "-q");
  }

  @Test
  void everyEventHasExactlyTheContractFieldsWithTheirTypes() {
    for (Topic t : Topic.values()) {
      assertThat(t + " has events", day.of(t).size(), greaterThan(0));
      for (JsonNode e : day.of(t)) {
        Map<String, Type> expected = new LinkedHashMap<>(REQUIRED.get(t));
        expected.putAll(LOCATION);
        if (e.has("userId")) {
          expected.putAll(USER);
        }
        if (t == Topic.PAGE_VIEW && e.get("page").asText().equals("NextSong")) {
          expected.putAll(SONG);
        }
        assertThat(t + ": " + e, names(e), equalTo(expected.keySet()));
        expected.forEach(
            (field, type) ->
                assertThat(t + "." + field + " in " + e, typeOf(e.get(field)), is(type)));
      }
    }
  }

  @Test
  void userFieldsArePresentExactlyWhenTheAuthStateShowsThem() {
    for (Topic t : List.of(Topic.LISTEN, Topic.PAGE_VIEW, Topic.STATUS_CHANGE)) {
      for (JsonNode e : day.of(t)) {
        String auth = e.get("auth").asText();
        boolean shown = auth.equals("Logged In") || auth.equals("Cancelled");
        assertThat(t + ": " + e, e.has("userId"), is(shown));
      }
    }
    // Auth events carry no auth field: a failed login is still logged out, hence anonymous.
    for (JsonNode e : day.of(Topic.AUTH)) {
      assertThat(e.toString(), e.has("userId"), is(e.get("success").asBoolean()));
    }
    Set<String> auths = new HashSet<>();
    day.of(Topic.PAGE_VIEW).forEach(e -> auths.add(e.get("auth").asText()));
    assertThat(auths, equalTo(Set.of("Guest", "Logged In", "Logged Out", "Cancelled")));
  }

  @Test
  void valuesLookReal() {
    for (JsonNode e : day.of(Topic.PAGE_VIEW)) {
      assertThat(e.get("method").asText(), anyOf(equalTo("GET"), equalTo("PUT")));
      assertThat(e.get("status").asInt(), anyOf(equalTo(200), equalTo(307), equalTo(404)));
      assertThat(e.get("state").asText(), matchesPattern("[A-Z]{2}"));
      assertThat(e.get("zip").asText(), matchesPattern("[0-9]{5}"));
      // eventsim wraps user agents in literal quotes; we do not.
      assertThat(e.get("userAgent").asText(), matchesPattern("Mozilla/5\\.0 \\(.*[^\"]"));
      // The 50 states and DC lie within these bounds (Hawaii and Alaska included).
      assertThat(
          e.get("lat").asDouble(), allOf(greaterThanOrEqualTo(18.0), lessThanOrEqualTo(72.0)));
      assertThat(
          e.get("lon").asDouble(), allOf(greaterThanOrEqualTo(-170.0), lessThanOrEqualTo(-66.0)));
      if (e.has("gender")) {
        assertThat(e.get("gender").asText(), anyOf(equalTo("M"), equalTo("F")));
        assertThat(e.get("registration").asLong(), lessThanOrEqualTo(e.get("ts").asLong()));
      }
    }
    List<Double> durations =
        day.of(Topic.LISTEN).stream().map(e -> e.get("duration").asDouble()).toList();
    assertThat(durations, everyItem(allOf(greaterThanOrEqualTo(30.0), lessThanOrEqualTo(900.0))));
  }

  @Test
  void outputIsUtf8WithOneJsonObjectPerLine() throws Exception {
    for (Topic t : Topic.values()) {
      byte[] bytes = Files.readAllBytes(day.dir.resolve(t.topicName() + ".jsonl"));
      java.nio.charset.StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(bytes)); // throws on invalid UTF-8
      String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
      assertThat(text.endsWith("\n"), is(true));
      assertThat(text.split("\n", -1).length - 1, is(day.of(t).size()));
    }
  }

  static Set<String> names(JsonNode e) {
    Set<String> s = new HashSet<>();
    for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
      s.add(it.next());
    }
    return s;
  }

  static Type typeOf(JsonNode v) {
    if (v == null) {
      return null;
    }
    if (v.isTextual()) {
      return Type.STRING;
    }
    if (v.isBoolean()) {
      return Type.BOOLEAN;
    }
    if (v.isIntegralNumber()) {
      return Type.LONG;
    }
    if (v.isFloatingPointNumber()) {
      return Type.DOUBLE;
    }
    return null;
  }

  private static Map<String, Type> fields(Object... kv) {
    Map<String, Type> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Type) kv[i + 1]);
    }
    return m;
  }
}
