package io.streamify.local;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamify.dashboard.Dashboard;
import io.streamify.dashboard.DashboardServer;
import io.streamify.dashboard.DuckDbQueries;
import io.streamify.dashboard.HeadlessChromium;
import io.streamify.generator.GeneratorCli;
import io.streamify.warehouse.DuckDbWarehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamify local --hours 2}, for real: a broker, the stream pipeline, the generator, the
 * hourly pipeline as hours close, DuckDB. The warehouse then holds exactly the generator's events
 * per topic and hour; the dashboard, in headless Chromium, shows the numbers the warehouse gives;
 * and a second run continues on the same data folder.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackEndToEndTest {
  static final String START = "2026-11-20T14:00";
  static final String[] SIMULATION = {"-n", "5000", "--growth-rate", "1", "--seed", "7"};
  static final Map<String, String> FACT_OF =
      Map.of(
          "listen_events",
          "fact_streams",
          "page_view_events",
          "fact_page_views",
          "auth_events",
          "fact_logins",
          "status_change_events",
          "fact_subscription_changes");
  static final Pattern TS = Pattern.compile("\"ts\":(\\d+)");

  Path data;
  String firstRunOutput;
  int firstRunExit;

  static String[] args(Path data, String... more) {
    List<String> a = new ArrayList<>(List.of(SIMULATION));
    a.addAll(List.of("--speed", "600", "--port", "0", "--data", data.toString()));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  static String runStack(String[] args, int[] exit) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    exit[0] = LocalStack.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    return text;
  }

  @BeforeAll
  void runTwoHours(@TempDir Path dir) {
    data = dir;
    int[] exit = new int[1];
    firstRunOutput = runStack(args(data, "--hours", "2", "--start", START), exit);
    firstRunExit = exit[0];
  }

  /** The generator's events per "topic hour" for a time range, from its file sink. */
  static Map<String, Long> generated(Path dir, String start, String end, long firstSessionId)
      throws Exception {
    List<String> a = new ArrayList<>(List.of(SIMULATION));
    a.addAll(
        List.of(
            "--start",
            start,
            "--end",
            end,
            "--first-session-id",
            String.valueOf(firstSessionId),
            "-o",
            dir.toString(),
            "-q"));
    assertThat(GeneratorCli.run(a.toArray(String[]::new), System.err), is(0));
    Map<String, Long> counts = new TreeMap<>();
    for (String topic : LocalStack.TOPICS) {
      for (String line : Files.readAllLines(dir.resolve(topic + ".jsonl"))) {
        Matcher m = TS.matcher(line);
        assertThat(line, m.find(), is(true));
        long hour = Long.parseLong(m.group(1)) / 3_600_000L * 3_600_000L;
        counts.merge(topic + " " + Instant.ofEpochMilli(hour), 1L, Long::sum);
      }
    }
    return counts;
  }

  /** A table's rows per hour, as "label hour" → rows. */
  static Map<String, Long> perHour(Connection c, String table, String label) throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    try (ResultSet rs =
        c.createStatement()
            .executeQuery(
                "SELECT CAST(floor(epoch(ts) / 3600)"
                    + " AS BIGINT) * 3600000 AS h, count(*) FROM "
                    + table
                    + " GROUP BY 1")) {
      while (rs.next()) {
        counts.put(label + " " + Instant.ofEpochMilli(rs.getLong(1)), rs.getLong(2));
      }
    }
    return counts;
  }

  static Map<String, Long> warehouseCounts(Path warehouse, boolean facts) throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    try (DuckDbWarehouse w = DuckDbWarehouse.open(warehouse.toString())) {
      for (String topic : LocalStack.TOPICS) {
        counts.putAll(perHour(w.connection(), facts ? FACT_OF.get(topic) : topic, topic));
      }
    }
    return counts;
  }

  @Test
  @Order(1)
  void warehouseHoldsExactlyTheGeneratorsEventsPerTopicAndHour(@TempDir Path files)
      throws Exception {
    assertThat(firstRunOutput, firstRunExit, is(0));
    assertThat(firstRunOutput, containsString("data quality: every check passed"));
    assertThat(firstRunOutput, containsString("streamify local: OK"));
    Map<String, Long> expected = generated(files, START, "2026-11-20T16:00", 1);
    assertThat(expected.size(), is(8)); // four topics, two hours
    Path warehouse = data.resolve("warehouse.duckdb");
    assertThat(warehouseCounts(warehouse, false), equalTo(expected));
    assertThat(warehouseCounts(warehouse, true), equalTo(expected));
    for (String h : List.of("14", "15")) {
      assertThat(
          Files.exists(data.resolve("lake/closed/dt=2026-11-20/hr=" + h + "/closed.json")),
          is(true));
    }
  }

  static long single(Connection c, String sql, Object... params) throws Exception {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static String topSong(Connection c, String state) throws Exception {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT s.title FROM fact_streams f"
                + " JOIN dim_songs s ON s.song_key = f.song_key"
                + " JOIN dim_artists a ON a.artist_key = f.artist_key"
                + " JOIN dim_location l ON l.location_key = f.location_key"
                + " WHERE ? = '' OR l.state_code = ?"
                + " GROUP BY s.song_key, s.title, a.name ORDER BY count(*) DESC, s.title, a.name LIMIT 1")) {
      s.setString(1, state);
      s.setString(2, state);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** Streams, users and the top song as the warehouse gives them, for all states or one. */
  static Map<String, Object> expectedTiles(Connection c, String state) throws Exception {
    return Map.of(
        "streams",
            single(
                c,
                "SELECT count(*) FROM fact_streams f JOIN dim_location l"
                    + " ON l.location_key = f.location_key WHERE ? = '' OR l.state_code = ?",
                state,
                state),
        "users",
            single(
                c,
                "SELECT count(DISTINCT f.user_id) FROM fact_page_views f"
                    + " JOIN dim_location l ON l.location_key = f.location_key"
                    + " WHERE f.user_id <> 0 AND (? = '' OR l.state_code = ?)",
                state,
                state),
        "topSong", topSong(c, state));
  }

  static final String SHOWN =
      "JSON.stringify({"
          + "streams: Number(document.getElementById('kpi-streams').textContent.replace(/,/g, '')),"
          + "users: Number(document.getElementById('kpi-users').textContent.replace(/,/g, '')),"
          + "topSong: document.querySelector('#top-songs tbody tr td.song').textContent,"
          + "mapTiles: echarts.getInstanceByDom(document.getElementById('chart-map'))"
          + ".getOption().series[0].data.length})";

  static Map<String, Object> shown(HeadlessChromium chrome) throws Exception {
    JsonNode n = new ObjectMapper().readTree(chrome.eval(SHOWN).asText());
    assertThat(
        "the map is drawn by ECharts with a tile per state", n.get("mapTiles").asInt(), is(51));
    return Map.of(
        "streams",
        n.get("streams").asLong(),
        "users",
        n.get("users").asLong(),
        "topSong",
        n.get("topSong").asText());
  }

  @Test
  @Order(2)
  void dashboardInChromiumShowsTheWarehousesNumbersAndFiltersByState() throws Exception {
    assertThat(firstRunOutput, firstRunExit, is(0));
    Path warehouse = data.resolve("warehouse.duckdb");
    Path shots = Path.of("target", "dashboard-screenshots");
    Files.createDirectories(shots);
    try (DuckDbQueries queries = new DuckDbQueries(warehouse.toString());
        DashboardServer server = DashboardServer.start(new Dashboard(queries), 0);
        HeadlessChromium chrome = HeadlessChromium.start(data.resolve("chromium"), 1400, 1300);
        DuckDbWarehouse direct = DuckDbWarehouse.open(warehouse.toString())) {
      Connection c = direct.connection();
      String state;
      try (ResultSet rs =
          c.createStatement()
              .executeQuery(
                  "SELECT l.state_code"
                      + " FROM fact_streams f JOIN dim_location l ON l.location_key = f.location_key"
                      + " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")) {
        rs.next();
        state = rs.getString(1);
      }

      chrome.navigate(server.url());
      chrome.waitFor("document.body.dataset.state === 'ready'", Duration.ofSeconds(60));
      Map<String, Object> all = shown(chrome);
      assertThat(all, equalTo(expectedTiles(c, "")));
      Files.write(shots.resolve("all-states.png"), chrome.screenshot());

      chrome.eval(
          "(() => { const s = document.getElementById('filter-state');"
              + " s.value = '"
              + state
              + "'; s.dispatchEvent(new Event('change')); return true; })()");
      chrome.waitFor(
          "document.body.dataset.state === 'ready'"
              + " && document.body.dataset.filter.includes('state="
              + state
              + "')",
          Duration.ofSeconds(60));
      Map<String, Object> one = shown(chrome);
      assertThat(one, equalTo(expectedTiles(c, state)));
      assertThat((Long) one.get("streams"), lessThan((Long) all.get("streams")));
      assertThat((Long) one.get("streams"), greaterThan(0L));
      byte[] png = chrome.screenshot();
      Files.write(shots.resolve("state-" + state + ".png"), png);
      assertThat(png.length, greaterThan(10_000));
    }
  }

  @Test
  @Order(3)
  void aSecondRunContinuesOnTheSameDataFolder(@TempDir Path files) throws Exception {
    assertThat(firstRunOutput, firstRunExit, is(0));
    LocalState state = LocalState.read(data.resolve("state.json"));
    assertThat(Instant.ofEpochMilli(state.resumeAt()), is(Instant.parse("2026-11-20T16:00:00Z")));
    Path warehouse = data.resolve("warehouse.duckdb");
    Map<String, Long> before = warehouseCounts(warehouse, false);

    int[] exit = new int[1];
    String output = runStack(args(data, "--hours", "1"), exit);
    assertThat(output, exit[0], is(0));
    assertThat(output, containsString("5,000 users from 2026-11-20T16:00:00Z"));

    Map<String, Long> expected = new TreeMap<>(before);
    expected.putAll(
        generated(files, "2026-11-20T16:00", "2026-11-20T17:00", state.nextSessionId()));
    assertThat(expected.size(), is(12));
    assertThat(warehouseCounts(warehouse, false), equalTo(expected));
    assertThat(warehouseCounts(warehouse, true), equalTo(expected));
  }
}
