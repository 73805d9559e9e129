package io.streamify.dashboard;

import static io.streamify.events.LakeTable.LISTEN_EVENTS;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamify.hourly.HandMadeLake;
import io.streamify.hourly.HandMadeLake.Place;
import io.streamify.hourly.HandMadeLake.User;
import io.streamify.hourly.HourlyCommand;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard with hostile warehouse text, in headless Chromium: artists, songs, genders, places
 * and names that are markup, script, {@code javascript:} URLs, right-to-left marks and very long
 * strings show as text everywhere — tables, every tooltip of every chart, axis labels, the state
 * list — and nothing runs. Its API answers only its own page, caps the period, and compares a day
 * still loading with the same hours of the day before.
 */
class DashboardSafetyTest {
  /** Each sets window.__xss if it ever runs. */
  static final List<String> HOSTILE =
      List.of(
          "<img src=x onerror=\"window.__xss=(window.__xss||[]).concat('img')\">",
          "<script>window.__xss=(window.__xss||[]).concat('script')</script>",
          "\"><svg onload=\"window.__xss=(window.__xss||[]).concat('svg')\">",
          "javascript:window.__xss=(window.__xss||[]).concat('url')",
          "\u202Eevil\u202C <b onmouseover=\"window.__xss=1\">rtl</b>",
          "<a href=\"javascript:window.__xss=1\">" + "long ".repeat(1000) + "</a>");

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path warehouse;
  static DuckDbQueries queries;
  static DashboardServer server;

  static void listen(
      HandMadeLake l, String at, long session, User user, Place place, String artist, String song) {
    l.event(
        LISTEN_EVENTS,
        "a",
        at,
        session,
        0,
        "Logged In",
        "free",
        user,
        place,
        "artist",
        artist,
        "song",
        song,
        "duration",
        200.0);
    l.asStored("userAgent", HOSTILE.get(1));
  }

  @BeforeAll
  static void warehouseWithHostileText() throws Exception {
    User ada = new User(10, "Ada", "Lovelace", "F", "2026-10-01T08:00:00Z");
    Place tampa = new Place("Tampa", "33602", "FL", -82.4, 27.9);
    HandMadeLake l = new HandMadeLake();
    // yesterday, spread over the day: 02 and 08 are before 09:00, 12 and 20 after
    listen(l, "2026-11-23T02:10:00Z", 1, ada, tampa, "Radiohead", "Creep");
    listen(l, "2026-11-23T08:10:00Z", 2, ada, tampa, "Radiohead", "Creep");
    listen(l, "2026-11-23T12:10:00Z", 3, ada, tampa, "Radiohead", "Creep");
    listen(l, "2026-11-23T20:10:00Z", 4, ada, tampa, "Radiohead", "Creep");
    // today up to hour 08: every text a user could send is hostile
    for (int i = 0; i < HOSTILE.size(); i++) {
      String h = HOSTILE.get(i);
      User u = new User(20 + i, h, h, h, "2026-10-01T08:00:00Z");
      Place p = new Place(h, "33602", "FL", -82.4, 27.9);
      listen(
          l,
          "2026-11-24T08:" + (10 + i) + ":00Z",
          10 + i,
          u,
          p,
          h,
          HOSTILE.get((i + 1) % HOSTILE.size()));
    }
    l.writeTo(dir.resolve("lake"));
    warehouse = dir.resolve("w.duckdb");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        HourlyCommand.run(
            new String[] {
              "--runner=DirectRunner",
              "--lake=" + dir.resolve("lake"),
              "--warehouse=" + warehouse,
              "--fromHour=2026-11-23T02",
              "--hour=2026-11-24T08"
            },
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(err.toString(StandardCharsets.UTF_8), code, is(0));
    queries = new DuckDbQueries(warehouse.toString());
    server = DashboardServer.start(new Dashboard(queries), 0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (queries != null) {
      queries.close();
    }
  }

  @Test
  void hostileTextShowsAsTextEverywhereAndNothingRuns() throws Exception {
    try (HeadlessChromium chrome = HeadlessChromium.start(dir.resolve("chromium"), 1400, 1300)) {
      chrome.navigate(server.url());
      chrome.waitFor("document.body.dataset.state === 'ready'", Duration.ofSeconds(60));
      // every tooltip of every chart, each data item in turn
      JsonNode tips =
          chrome.eval(
              "(() => { const texts = [];"
                  + " for (const c of Object.values(charts)) {"
                  + "   const series = c.getOption().series;"
                  + "   series.forEach((s, si) => (s.data || []).forEach((d, di) => {"
                  + "     c.dispatchAction({ type: 'showTip', seriesIndex: si, dataIndex: di });"
                  + "     texts.push(c.getDom().innerText);"
                  + "     c.dispatchAction({ type: 'hideTip' });"
                  + "   }));"
                  + " } return texts; })()");
      String allTips = String.join("\n", JSON.convertValue(tips, List.class));
      // the tooltips rendered the hostile names as text: artists, genders (pie, level axis)
      for (String h : HOSTILE.subList(0, 3)) {
        assertThat(allTips, containsString(h));
      }
      JsonNode page =
          chrome.eval(
              "(() => ({"
                  + " xss: window.__xss === undefined ? null : String(window.__xss),"
                  + " handlers: [...document.querySelectorAll('*')].filter((e) =>"
                  + "   [...e.attributes].some((a) => a.name.startsWith('on'))).map((e) => e.outerHTML),"
                  + " injected: [...document.querySelectorAll('img, svg, a, b, iframe')]"
                  + "   .map((e) => e.outerHTML.slice(0, 200)),"
                  + " scripts: [...document.scripts].map((s) => s.src.replace(location.origin, '')),"
                  + " songs: [...document.querySelectorAll('#top-songs td.song')]"
                  + "   .map((td) => td.textContent),"
                  + " artists: [...document.querySelectorAll('#top-songs td.artist')]"
                  + "   .map((td) => td.textContent),"
                  + " states: [...document.getElementById('filter-state').options].map((o) => o.text),"
                  + " change: document.getElementById('kpi-streams-change').textContent"
                  + "}))()");
      assertThat("no script ran", page.get("xss").isNull(), is(true));
      assertThat(page.get("handlers").toString(), page.get("handlers").size(), is(0));
      assertThat(page.get("injected").toString(), page.get("injected").size(), is(0));
      assertThat(
          page.get("scripts").toString(), is("[\"/assets/echarts.min.js\",\"/assets/app.js\"]"));
      List<String> songs = new ArrayList<>();
      page.get("songs").forEach(n -> songs.add(n.asText()));
      List<String> artists = new ArrayList<>();
      page.get("artists").forEach(n -> artists.add(n.asText()));
      for (String h : HOSTILE) {
        assertThat(songs.contains(h), is(true));
        assertThat(artists.contains(h), is(true));
      }
      assertThat(page.get("states").toString(), is("[\"All states\",\"Florida (FL)\"]"));
      // today up to 09:00 against yesterday 00:00–09:00: 6 streams against 2 (+200%)
      assertThat(page.get("change").asText(), is("▲ 200.0% vs 2026-11-23 00:00–09:00 UTC"));
    }
  }

  @Test
  void aDayStillLoadingIsComparedWithTheSameHoursOfTheDayBefore() throws Exception {
    JsonNode data =
        JSON.readTree(get("/api/dashboard", "localhost:" + server.port(), null, null)[1]);
    assertThat(
        data.get("filter").toString(),
        is(
            "{\"from\":\"2026-11-24\",\"to\":\"2026-11-24\","
                + "\"state\":\"\",\"compared\":\"2026-11-24 00:00–09:00 UTC\","
                + "\"previous\":\"2026-11-23 00:00–09:00 UTC\"}"));
    assertThat(data.get("kpis").get("streams").asLong(), is(6L));
    assertThat(data.get("kpis").get("previous_streams").asLong(), is(2L));
    // a whole earlier day compares with the whole day before it
    data =
        JSON.readTree(
            get(
                "/api/dashboard?from=2026-11-23&to=2026-11-23",
                "localhost:" + server.port(),
                null,
                null)[1]);
    assertThat(data.get("kpis").get("streams").asLong(), is(4L));
    assertThat(data.get("filter").get("previous").asText(), is("2026-11-22 00:00–24:00 UTC"));
  }

  @Test
  void theApiAnswersOnlyItsOwnPageAndCapsThePeriod() throws Exception {
    String own = "127.0.0.1:" + server.port();
    assertThat(get("/api/meta", own, null, null)[0], is("200"));
    assertThat(get("/api/meta", own, "http://" + own, "same-origin")[0], is("200"));
    assertThat(get("/api/meta", "localhost:" + server.port(), null, "none")[0], is("200"));
    // a DNS-rebound name, another site's page, a cross-site request without Origin (a script tag)
    String[] rebound = get("/api/meta", "evil.example:" + server.port(), null, null);
    assertThat(rebound[0], is("403"));
    assertThat(
        rebound[1],
        is(
            "{\"error\":\"refused: Host evil.example:"
                + server.port()
                + " is not this dashboard ("
                + server.url()
                + ")\"}\n"));
    // it listens on 127.0.0.1 only: an IPv6 loopback name is not one a browser reached it by
    assertThat(get("/api/meta", "[::1]:" + server.port(), null, null)[0], is("403"));
    String[] other = get("/api/dashboard", own, "https://evil.example", "cross-site");
    assertThat(other[0], is("403"));
    assertThat(other[1], startsWith("{\"error\":\"refused: a page of https://evil.example"));
    assertThat(get("/api/dashboard", own, null, "cross-site")[0], is("403"));
    assertThat(get("/api/dashboard", own, "null", null)[0], is("403"));
    // the page itself still opens from a link on another site
    assertThat(get("/", own, null, "cross-site")[0], is("200"));
    String[] long_ = get("/api/dashboard?from=2020-01-01&to=2026-11-24", own, null, null);
    assertThat(long_[0], is("400"));
    assertThat(
        long_[1],
        equalTo(
            JSON.writeValueAsString(
                    Map.of(
                        "error",
                        "the period is at most 366 days, got 2520 (2020-01-01 to 2026-11-24)"))
                + "\n"));
  }

  @Test
  void onPort80ABrowsersHostWithoutThePortIsItsOwn() {
    assertThat(
        DashboardServer.ownHosts(80),
        equalTo(Set.of("localhost:80", "127.0.0.1:80", "localhost", "127.0.0.1")));
    assertThat(DashboardServer.ownHosts(8080), equalTo(Set.of("localhost:8080", "127.0.0.1:8080")));
  }

  @Test
  void headGetsAPagesHeadersAndRunsNoQuery() throws Exception {
    String own = "127.0.0.1:" + server.port();
    String[] page = request("HEAD", server.port(), "/", own);
    assertThat(page[0], is("200"));
    assertThat(page[1], is(""));
    // (the JDK's server writes header names as Content-type: compare them in lower case)
    assertThat(
        page[2].toLowerCase(Locale.ROOT), containsString("content-type: text/html; charset=utf-8"));
    assertThat(
        page[2].toLowerCase(Locale.ROOT),
        containsString("content-security-policy: default-src 'self';"));
    String[] api = request("HEAD", server.port(), "/api/dashboard", own);
    assertThat(api[0], is("405"));
    assertThat(api[2].toLowerCase(Locale.ROOT), containsString("allow: get"));
    String[] post = request("POST", server.port(), "/api/meta", own);
    assertThat(post[0], is("405"));
    assertThat(post[1], is("GET only\n"));
  }

  /** A raw HTTP GET (Java's client may not set Host): status and body. */
  static String[] get(String path, String host, String origin, String fetchSite) throws Exception {
    return get(server.port(), path, host, origin, fetchSite);
  }

  /** The same, to the server on {@code port}. */
  static String[] get(int port, String path, String host, String origin, String fetchSite)
      throws Exception {
    String[] r = request("GET", port, path, host, origin, fetchSite);
    return new String[] {r[0], r[1]};
  }

  /** A raw HTTP request: status, body and the header lines. */
  static String[] request(String method, int port, String path, String host, String... more)
      throws Exception {
    String origin = more.length > 0 ? more[0] : null;
    String fetchSite = more.length > 1 ? more[1] : null;
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      StringBuilder request =
          new StringBuilder(
              method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
      if (origin != null) {
        request.append("Origin: ").append(origin).append("\r\n");
      }
      if (fetchSite != null) {
        request.append("Sec-Fetch-Site: ").append(fetchSite).append("\r\n");
      }
      OutputStream out = s.getOutputStream();
      out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String status = response.substring(9, 12);
      int end = response.indexOf("\r\n\r\n");
      return new String[] {status, response.substring(end + 4), response.substring(0, end)};
    }
  }
}
