package io.streamify.hourly;

import static io.streamify.events.LakeTable.AUTH_EVENTS;
import static io.streamify.events.LakeTable.LISTEN_EVENTS;
import static io.streamify.events.LakeTable.PAGE_VIEW_EVENTS;
import static io.streamify.events.LakeTable.STATUS_CHANGE_EVENTS;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import io.streamify.hourly.HandMadeLake.Place;
import io.streamify.hourly.HandMadeLake.User;
import io.streamify.warehouse.DuckDbWarehouse;
import io.streamify.warehouse.WarehouseTable;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-made lake of two hours: a guest who registers, a free user who upgrades and downgrades
 * twice within an hour, a user in a place with an unknown state, one with no city, a duplicated
 * event, a late pane and a catalog that lists a song twice. The warehouse must equal the tables
 * written out here row by row, and stay the same however often and in whatever order hours run.
 */
public class HourlyPipelineTest {
  static final Place TAMPA = new Place("Tampa", "33602", "FL", -82.4572, 27.9506);
  static final Place NOWHERE = new Place("Springfield", "99999", "xx", -89.6, 39.8);
  static final Place NO_CITY = new Place("", "", "", 0.0, 0.0);
  static final User ADA = new User(10, "Ada", "Lovelace", "F", "2026-10-01T08:00:00Z");
  static final User BOB = new User(11, "Bob", "Stone", "M", "2026-11-23T13:12:00Z");
  static final User CARL = new User(12, "Carl", "Reyes", "M", "2026-09-15T10:00:00Z");
  static final User DORA = new User(13, "Dora", "Kim", "F", "2026-08-01T12:00:00Z");

  static HandMadeLake lake() {
    HandMadeLake l = new HandMadeLake();
    String in = "Logged In";
    // Ada, free at noon; in the 13:00 hour up, down, up, down.
    page(l, "a", "2026-11-23T12:10:00Z", 100, 0, in, "free", ADA, TAMPA, "Home");
    listen(l, "a", "2026-11-23T12:10:30Z", 100, 1, "free", ADA, TAMPA, "Radiohead", "Creep", 238.6);
    change(l, "a", "2026-11-23T13:05:00Z", 101, 0, "free", ADA, "Submit Upgrade");
    listen(l, "a", "2026-11-23T13:06:00Z", 101, 1, "paid", ADA, TAMPA, "Radiohead", "Creep", 238.6);
    change(l, "a", "2026-11-23T13:20:00Z", 101, 2, "paid", ADA, "Submit Downgrade");
    listen(l, "a", "2026-11-23T13:21:00Z", 101, 3, "free", ADA, TAMPA, "Björk", "Jóga", 305.0);
    l.asStored("artist", "BjÃ¶rk");
    change(l, "a", "2026-11-23T13:40:00Z", 101, 4, "free", ADA, "Submit Upgrade");
    listen(
        l,
        "a",
        "2026-11-23T13:41:00Z",
        101,
        5,
        "paid",
        ADA,
        TAMPA,
        "Unknown Band",
        "Not In Catalog",
        100.0);
    change(l, "a", "2026-11-23T13:50:00Z", 101, 6, "paid", ADA, "Submit Downgrade");
    listen(l, "a", "2026-11-23T13:51:00Z", 101, 7, "free", ADA, TAMPA, "Radiohead", "Creep", 238.6);
    // The same listen again, from a relaunched stream job; and a late pane.
    listen(l, "b", "2026-11-23T13:51:00Z", 101, 7, "free", ADA, TAMPA, "Radiohead", "Creep", 238.6);
    listen(
        l,
        "late",
        "2026-11-23T13:58:00Z",
        101,
        8,
        "free",
        ADA,
        TAMPA,
        "radiohead ",
        "CREEP",
        238.6);
    // A guest registers as Bob, logs in and listens; a guest fails to log in.
    page(l, "a", "2026-11-23T13:10:00Z", 200, 0, "Guest", "free", null, TAMPA, "Home");
    page(l, "a", "2026-11-23T13:11:00Z", 200, 1, "Guest", "free", null, TAMPA, "Register");
    page(
        l,
        "a",
        "2026-11-23T13:12:00Z",
        200,
        2,
        "Guest",
        "free",
        null,
        TAMPA,
        "Submit Registration");
    l.event(
        AUTH_EVENTS, "a", "2026-11-23T13:13:00Z", 201, 0, in, "free", BOB, TAMPA, "success", true);
    page(l, "a", "2026-11-23T13:13:00Z", 201, 0, in, "free", BOB, TAMPA, "Home");
    listen(l, "a", "2026-11-23T13:14:00Z", 201, 1, "free", BOB, TAMPA, "Björk", "Jóga", 305.0);
    l.event(
        AUTH_EVENTS,
        "a",
        "2026-11-23T13:30:00Z",
        202,
        0,
        "Logged Out",
        "free",
        null,
        TAMPA,
        "success",
        false);
    // Carl somewhere with an unknown state; Dora with no city at all.
    listen(
        l, "a", "2026-11-23T13:30:00Z", 300, 0, "paid", CARL, NOWHERE, "Radiohead", "Creep", 238.6);
    page(l, "a", "2026-11-23T13:45:00Z", 400, 0, in, "paid", DORA, NO_CITY, "Home");
    // The catalog lists Creep twice.
    l.song("SOCREEP1", "ARRH", "Radiohead", "Creep", 238.6, 1992)
        .song("SOCREEP2", "ARRH", "Radiohead", "Creep", 238.6, 1993)
        .song("SOJOGA", "ARBJ", "Björk", "Jóga", 305.0, 1997)
        .song("SOQUIET", "ARQT", "Quiet Band", "Never Played", 200.0, 2001);
    return l;
  }

  static void page(
      HandMadeLake l,
      String file,
      String at,
      long session,
      int item,
      String auth,
      String level,
      User u,
      Place p,
      String page) {
    boolean put = page.startsWith("Submit");
    l.event(
        PAGE_VIEW_EVENTS,
        file,
        at,
        session,
        item,
        auth,
        level,
        u,
        p,
        "page",
        page,
        "method",
        put ? "PUT" : "GET",
        "status",
        put ? 307 : 200);
  }

  static void listen(
      HandMadeLake l,
      String file,
      String at,
      long session,
      int item,
      String level,
      User u,
      Place p,
      String artist,
      String song,
      double duration) {
    page(l, file, at, session, item, "Logged In", level, u, p, "NextSong");
    l.event(
        LISTEN_EVENTS,
        file,
        at,
        session,
        item,
        "Logged In",
        level,
        u,
        p,
        "artist",
        artist,
        "song",
        song,
        "duration",
        duration);
  }

  static void change(
      HandMadeLake l,
      String file,
      String at,
      long session,
      int item,
      String level,
      User u,
      String page) {
    page(l, file, at, session, item, "Logged In", level, u, TAMPA, page);
    l.event(STATUS_CHANGE_EVENTS, file, at, session, item, "Logged In", level, u, TAMPA);
  }

  public static void run(Path lake, Path warehouse, String... args) {
    List<String> a =
        new ArrayList<>(
            List.of("--runner=DirectRunner", "--lake=" + lake, "--warehouse=" + warehouse));
    a.addAll(List.of(args));
    HourlyPipeline.Options o = HourlyPipeline.options(a.toArray(String[]::new));
    Pipeline p;
    try {
      // as streamify hourly plans it: the hours' closed-mark versions go into the manifests
      p = HourlyPipeline.pipeline(o, HourlyPipeline.plan(o, Instant.now()), "test", null);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    p.run().waitUntilFinish();
  }

  public static List<String> query(Path warehouse, String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (DuckDbWarehouse w = DuckDbWarehouse.open(warehouse.toString());
        Statement s = w.connection().createStatement();
        ResultSet r = s.executeQuery(sql)) {
      ResultSetMetaData m = r.getMetaData();
      while (r.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= m.getColumnCount(); i++) {
          cells.add(String.valueOf(r.getObject(i)));
        }
        rows.add(String.join(" | ", cells));
      }
    }
    return rows;
  }

  /** Every table, every row, in a fixed order: to compare whole warehouses. */
  static Map<String, List<String>> everything(Path warehouse) throws Exception {
    Map<String, List<String>> all = new LinkedHashMap<>();
    for (WarehouseTable t : WarehouseTable.values()) {
      if (t.kind() == WarehouseTable.Kind.LOG) {
        continue; // the history of runs, not the warehouse's content
      }
      all.put(t.tableName(), query(warehouse, "SELECT * FROM " + t.tableName() + " ORDER BY ALL"));
    }
    return all;
  }

  static final String HM = "strftime(%s, '%%H:%%M')";

  static String hm(String column) {
    return String.format(HM, column);
  }

  @Test
  void anHourAndItsLookbackGiveExactlyTheExpectedTables(@TempDir Path dir) throws Exception {
    Path lakeDir = dir.resolve("lake");
    lake().writeTo(lakeDir);
    Path db = dir.resolve("warehouse.duckdb");
    run(lakeDir, db, "--hour=2026-11-23T13");

    assertThat(
        query(
            db,
            "SELECT user_id, level, "
                + hm("row_activation")
                + ", "
                + "CASE WHEN year(row_expiration) = 9999 THEN 'end' ELSE "
                + hm("row_expiration")
                + " END, is_current, first_name, gender FROM dim_users ORDER BY user_id, row_activation"),
        contains(
            "0 | unknown | 00:00 | end | true | null | null",
            "10 | free | 12:10 | 13:05 | false | Ada | F",
            "10 | paid | 13:05 | 13:20 | false | Ada | F",
            "10 | free | 13:20 | 13:40 | false | Ada | F",
            "10 | paid | 13:40 | 13:50 | false | Ada | F",
            "10 | free | 13:50 | end | true | Ada | F",
            "11 | free | 13:13 | end | true | Bob | M",
            "12 | paid | 13:30 | end | true | Carl | M",
            "13 | paid | 13:45 | end | true | Dora | F"));

    // One row per listen, the duplicate gone, the late pane in; keys resolve (names shown).
    assertThat(
        query(
            db,
            "SELECT "
                + hm("f.ts")
                + ", f.user_id, f.level, s.title, a.name,"
                + " s.in_catalog, l.city, l.state_name, d.hour, d.day_name"
                + " FROM fact_streams f JOIN dim_songs s USING (song_key)"
                + " JOIN dim_artists a ON a.artist_key = f.artist_key"
                + " JOIN dim_location l USING (location_key) JOIN dim_datetime d USING (datetime_key)"
                + " ORDER BY f.ts, f.user_id"),
        contains(
            "12:10 | 10 | free | Creep | Radiohead | true | Tampa | Florida | 12 | Monday",
            "13:06 | 10 | paid | Creep | Radiohead | true | Tampa | Florida | 13 | Monday",
            "13:14 | 11 | free | Jóga | Björk | true | Tampa | Florida | 13 | Monday",
            "13:21 | 10 | free | Jóga | Björk | true | Tampa | Florida | 13 | Monday",
            "13:30 | 12 | paid | Creep | Radiohead | true | Springfield | Unknown | 13 | Monday",
            "13:41 | 10 | paid | Not In Catalog | Unknown Band | false | Tampa | Florida | 13 | Monday",
            "13:51 | 10 | free | Creep | Radiohead | true | Tampa | Florida | 13 | Monday",
            "13:58 | 10 | free | Creep | Radiohead | true | Tampa | Florida | 13 | Monday"));

    // Each listen's user version is the one in force at its time.
    assertThat(
        query(
            db,
            "SELECT "
                + hm("f.ts")
                + ", u.level FROM fact_streams f JOIN dim_users u"
                + " ON u.user_id = f.user_id AND f.ts >= u.row_activation AND f.ts < u.row_expiration"
                + " WHERE f.user_id = 10 ORDER BY f.ts"),
        contains(
            "12:10 | free",
            "13:06 | paid",
            "13:21 | free",
            "13:41 | paid",
            "13:51 | free",
            "13:58 | free"));

    // The wide_stream view (sql/views): one row per listen, its user version's level agrees.
    assertThat(
        query(
            db,
            "SELECT count(*), count(DISTINCT (session_id, item_in_session)),"
                + " count(*) FILTER (level = (SELECT u.level FROM dim_users u WHERE u.user_key ="
                + " w.user_key)), count(DISTINCT state_name) FROM wide_stream w"),
        contains("8 | 8 | 8 | 2"));

    assertThat(
        query(
            db,
            "SELECT "
                + hm("ts")
                + ", user_id, from_level, to_level"
                + " FROM fact_subscription_changes ORDER BY ts"),
        contains(
            "13:05 | 10 | free | paid",
            "13:20 | 10 | paid | free",
            "13:40 | 10 | free | paid",
            "13:50 | 10 | paid | free"));
    assertThat(
        query(db, "SELECT " + hm("ts") + ", user_id, success FROM fact_logins ORDER BY ts"),
        contains("13:13 | 11 | true", "13:30 | 0 | false"));
    assertThat(
        query(
            db,
            "SELECT page, count(*), count(*) FILTER (user_id = 0)"
                + " FROM fact_page_views GROUP BY page ORDER BY page"),
        contains(
            "Home | 4 | 1",
            "NextSong | 8 | 0",
            "Register | 1 | 1",
            "Submit Downgrade | 2 | 0",
            "Submit Registration | 1 | 1",
            "Submit Upgrade | 2 | 0"));
    assertThat(
        query(
            db,
            "SELECT f.user_id, l.location_key, l.city FROM fact_page_views f"
                + " JOIN dim_location l USING (location_key) WHERE f.user_id = 13"),
        contains("13 | 0 | Unknown"));

    // The catalog's duplicate is one song; an unheard catalog song is there; so is the unknown.
    assertThat(
        query(
            db,
            "SELECT title, artist_name, year, song_id, in_catalog FROM dim_songs"
                + " ORDER BY title"),
        contains(
            "Creep | Radiohead | 1992 | SOCREEP1 | true",
            "Jóga | Björk | 1997 | SOJOGA | true",
            "Never Played | Quiet Band | 2001 | SOQUIET | true",
            "Not In Catalog | Unknown Band | null | null | false",
            "Unknown | Unknown | null | null | false"));
    assertThat(
        query(db, "SELECT name, artist_id, in_catalog FROM dim_artists ORDER BY name"),
        contains(
            "Björk | ARBJ | true",
            "Quiet Band | ARQT | true",
            "Radiohead | ARRH | true",
            "Unknown | null | false",
            "Unknown Band | null | false"));
    assertThat(
        query(
            db,
            "SELECT city, state_code, state_name, zip FROM dim_location"
                + " ORDER BY location_key = 0, city"),
        contains(
            "Springfield | XX | Unknown | 99999",
            "Tampa | FL | Florida | 33602",
            "Unknown |  | Unknown | "));
    assertThat(
        query(
            db,
            "SELECT count(*), min(datetime_key), max(datetime_key),"
                + " count(*) FILTER (is_weekend) FROM dim_datetime"),
        contains("24 | 2026112300 | 2026112323 | 0"));

    // Raw tables: cleaned (mojibake, quotes) and de-duplicated.
    assertThat(
        query(
            db,
            "SELECT count(*), count(DISTINCT (sessionId, itemInSession)),"
                + " count(*) FILTER (artist = 'Björk'), count(*) FILTER (userAgent LIKE '\"%')"
                + " FROM listen_events"),
        contains("8 | 8 | 2 | 0"));
    assertThat(
        query(
            db,
            "SELECT (SELECT count(*) FROM page_view_events),"
                + " (SELECT count(*) FROM auth_events), (SELECT count(*) FROM status_change_events)"),
        contains("18 | 2 | 4"));
  }

  @Test
  void reRunsAndReverseOrderGiveTheSameWarehouse(@TempDir Path dir) throws Exception {
    Path lakeA = dir.resolve("a");
    Path lakeB = dir.resolve("b");
    lake().writeTo(lakeA);
    lake().writeTo(lakeB);
    Path once = dir.resolve("once.duckdb");
    run(lakeA, once, "--hour=2026-11-23T13");
    Map<String, List<String>> expected = everything(once);
    assertThat(expected.get("fact_streams").size(), is(8));
    run(lakeA, once, "--hour=2026-11-23T13");
    run(lakeA, once, "--hour=2026-11-23T13");
    assertThat(everything(once), equalTo(expected));

    Path reversed = dir.resolve("reversed.duckdb");
    run(lakeB, reversed, "--hour=2026-11-23T13", "--lookbackHours=0");
    run(lakeB, reversed, "--hour=2026-11-23T12", "--lookbackHours=0");
    assertThat(everything(reversed), equalTo(expected));
  }
}
