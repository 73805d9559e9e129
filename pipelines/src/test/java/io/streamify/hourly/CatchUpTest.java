package io.streamify.hourly;

import static io.streamify.events.LakeTable.LISTEN_EVENTS;
import static io.streamify.hourly.HourlyPipelineTest.TAMPA;
import static io.streamify.hourly.HourlyPipelineTest.query;
import static io.streamify.hourly.RejectsTest.ADA;
import static io.streamify.hourly.RejectsTest.hourly;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import io.streamify.lake.ClosedMarks;
import io.streamify.lake.Hours;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without --hour the hourly job catches up: it loads every closed hour that has no committed load
 * manifest, or whose closed mark changed after its load (arrival files), oldest first; an hour with
 * no data closes and loads as an empty hour; an hour whose load failed is loaded again.
 */
class CatchUpTest {
  static final long HOUR = 3_600_000L;

  /** Three hours, starting five hours before now: well inside the catch-up window. */
  static final long H0 = Instant.now().truncatedTo(ChronoUnit.HOURS).toEpochMilli() - 5 * HOUR;

  static String at(long hour, int minute) {
    return Instant.ofEpochMilli(hour + minute * 60_000L).toString();
  }

  static void listen(HandMadeLake l, String file, long hour, int minute, long session) {
    l.event(
        LISTEN_EVENTS,
        file,
        at(hour, minute),
        session,
        0,
        "Logged In",
        "free",
        ADA,
        TAMPA,
        "artist",
        "Radiohead",
        "song",
        "Creep",
        "duration",
        200.0);
  }

  static List<String> loads(Path db) throws Exception {
    return query(
        db,
        "SELECT strftime(hour_start, '%H') || ' ' || lake_rows || ' '"
            + " || (closed_version <> '') FROM load_manifests WHERE source_table = 'listen_events'"
            + " ORDER BY loaded_at, hour_start");
  }

  static String hh(long hour) {
    return String.format("%02d", Instant.ofEpochMilli(hour).atZone(ZoneOffset.UTC).getHour());
  }

  @Test
  void loadsClosedHoursOnceThenOnlyWhatChangedAndEmptyHoursToo(@TempDir Path dir) throws Exception {
    Path lake = dir.resolve("lake");
    Path db = dir.resolve("w.duckdb");
    HandMadeLake l = new HandMadeLake();
    listen(l, "a", H0, 5, 1);
    listen(l, "a", H0, 6, 2);
    listen(l, "a", H0 + 2 * HOUR, 5, 3);
    l.writeTo(lake);
    // Hour 0 and hour 2 had files and closed; hour 1 had none; the stream's watermark has
    // passed hour 3, which had none either.
    ClosedMarks.markHour(lake.toString(), H0);
    ClosedMarks.markHour(lake.toString(), H0 + 2 * HOUR);
    ClosedMarks.raiseClosedThrough(lake.toString(), H0 + 3 * HOUR, "l1");

    String[] run = hourly(lake, db);
    assertThat(run[1], run[0], is("0"));
    assertThat(
        run[1],
        containsString("loading " + Instant.ofEpochMilli(H0).toString().substring(0, 13) + " to "));
    assertThat(
        loads(db),
        equalTo(
            List.of(
                hh(H0) + " 2 true",
                hh(H0 + HOUR) + " 0 false",
                hh(H0 + 2 * HOUR) + " 1 true",
                hh(H0 + 3 * HOUR) + " 0 false")));

    // Nothing changed: nothing to load.
    run = hourly(lake, db);
    assertThat(run[1], run[0], is("0"));
    assertThat(run[1], containsString("nothing to load"));

    // An arrival file reaches hour 0 and the stream marks it again: only hour 0 loads again.
    HandMadeLake late = new HandMadeLake();
    listen(late, "arrived-x", H0, 30, 4);
    late.writeTo(lake);
    ClosedMarks.markHour(lake.toString(), H0);
    run = hourly(lake, db);
    assertThat(run[1], run[0], is("0"));
    List<String> all = loads(db);
    assertThat(all.get(all.size() - 1), is(hh(H0) + " 3 true"));
    assertThat(all.size(), is(5));
    assertThat(query(db, "SELECT count(*) FROM listen_events"), contains("4"));
  }

  @Test
  void anHourAStoppedStreamJobWroteButNeverMarkedClosesOnceALaterLaunchPassesIt(@TempDir Path dir)
      throws Exception {
    Path lake = dir.resolve("lake");
    Path db = dir.resolve("w.duckdb");
    HandMadeLake before = new HandMadeLake();
    listen(before, "a", H0, 5, 1); // written, then the job died before marking hour 0
    before.writeTo(lake);
    ClosedMarks.noteOpen(lake.toString(), H0, "l1");
    ClosedMarks.markHour(lake.toString(), H0 + HOUR);
    Thread.sleep(20);
    // a restarted launch is still writing hour 2 (newer files than its closed-through mark)
    ClosedMarks.raiseClosedThrough(lake.toString(), H0 + 2 * HOUR, "l2");
    Thread.sleep(20);
    HandMadeLake writing = new HandMadeLake();
    listen(writing, "b", H0 + 2 * HOUR, 5, 2);
    writing.writeTo(lake);

    String[] run = hourly(lake, db);
    assertThat(run[1], run[0], is("0"));
    // hour 0: closed (its files are older than what closed it); hour 1 marked; hour 2 waits
    assertThat(loads(db), equalTo(List.of(hh(H0) + " 1 false", hh(H0 + HOUR) + " 0 true")));
  }

  @Test
  void anHourWithASystemicFaultIsHeldBackAndTheHoursAfterItLoad(@TempDir Path dir)
      throws Exception {
    Path lake = dir.resolve("lake");
    Path db = dir.resolve("w.duckdb");
    HandMadeLake l = new HandMadeLake();
    for (int i = 0; i < 200; i++) {
      listen(l, "a", H0, 5, 100 + i);
      l.asStored("level", "gold"); // a producer's bug, all of hour 0
    }
    listen(l, "a", H0 + HOUR, 5, 1);
    l.writeTo(lake);
    ClosedMarks.markHour(lake.toString(), H0);
    ClosedMarks.markHour(lake.toString(), H0 + HOUR);

    String[] run = hourly(lake, db);
    assertThat(run[1], run[0], is("1"));
    assertThat(
        run[1],
        containsString("held back, not loaded: [" + Hours.format(Instant.ofEpochMilli(H0)) + "]"));
    assertThat(loads(db), equalTo(List.of(hh(H0 + HOUR) + " 1 true")));
    assertThat(query(db, "SELECT count(*) FROM listen_events"), contains("1"));
    // the next run tries hour 0 again, and still holds it back alone
    run = hourly(lake, db);
    assertThat(run[1], run[0], is("1"));
    assertThat(loads(db).size(), is(1));
  }

  @Test
  void theBacklogLineCountsAStalledStreamJobsUnclosedHoursToo() {
    long h = 1_795_438_800_000L; // 2026-11-23T13:00Z
    Instant at1510 = Instant.ofEpochMilli(h + 2 * HOUR + 10 * 60_000L);
    // healthy: hour 13 closed and loaded, hour 14 (ended at 15:00) not closed yet: 10 minutes
    assertThat(
        new LoadPlan(List.of(), Map.of(), Optional.of(h), 0).backlogLine(at1510),
        is("streamify hourly: backlog: hours_pending=0" + " oldest_pending_minutes=10"));
    // the stream job stopped closing hours at 13:00; three hours later hour 14 ended 190 ago
    assertThat(
        new LoadPlan(List.of(), Map.of(), Optional.of(h), 0)
            .backlogLine(at1510.plusSeconds(3 * 3600)),
        is("streamify hourly: backlog:" + " hours_pending=0 oldest_pending_minutes=190"));
    // a waiting closed hour that ended earlier counts first
    assertThat(
        new LoadPlan(List.of(h), Map.of(), Optional.of(h), 1).backlogLine(at1510),
        is("streamify hourly: backlog: hours_pending=1" + " oldest_pending_minutes=70"));
  }

  @Test
  void anHourWhoseLoadFailedIsLoadedAgainByTheNextRun(@TempDir Path dir) throws Exception {
    Path lake = dir.resolve("lake");
    Path db = dir.resolve("w.duckdb");
    HandMadeLake l = new HandMadeLake();
    for (int i = 0; i < 200; i++) {
      listen(l, "a", H0, 5, 100 + i);
      l.asStored("level", "gold");
    }
    l.writeTo(lake);
    ClosedMarks.markHour(lake.toString(), H0);

    String[] run = hourly(lake, db);
    assertThat(run[0], is("1"));
    assertThat(query(db, "SELECT count(*) FROM load_manifests"), contains("0"));
    // still pending, so the next run tries again (here allowed to load them as rejects)
    run = hourly(lake, db, "--maxRejectedShare=1");
    assertThat(run[1], run[0], is("0"));
    assertThat(
        query(
            db,
            "SELECT lake_rows, rejected_rows FROM load_manifests"
                + " WHERE source_table = 'listen_events'"),
        contains("200 | 200"));
  }
}
