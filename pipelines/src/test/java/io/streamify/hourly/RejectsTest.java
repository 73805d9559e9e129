package io.streamify.hourly;

import static io.streamify.events.LakeTable.LISTEN_EVENTS;
import static io.streamify.hourly.HourlyPipelineTest.TAMPA;
import static io.streamify.hourly.HourlyPipelineTest.query;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.streamify.hourly.HandMadeLake.User;
import io.streamify.warehouse.Keys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One odd record never holds an hour hostage: a row that breaks a rule goes to the rejects table
 * with the rule and the whole row, and the hour loads; only a systemic fault (more than
 * --maxRejectedShare of an hour's rows) fails the run, with one line per failed check and no stack
 * trace. Counts reconcile: lake rows = raw rows + rejected rows + duplicates removed.
 */
class RejectsTest {
  static final User ADA = new User(10, "Ada", "Lovelace", "F", "2026-10-01T08:00:00Z");

  static void listen(
      HandMadeLake l, String at, long session, int item, String artist, String song) {
    l.event(
        LISTEN_EVENTS,
        "a",
        at,
        session,
        item,
        "Logged In",
        "free",
        ADA,
        TAMPA,
        "artist",
        artist,
        "song",
        song,
        "duration",
        200.0);
  }

  /** Runs streamify hourly; returns exit code and what it printed. */
  static String[] hourly(Path lake, Path db, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "--runner=DirectRunner";
    all[1] = "--lake=" + lake;
    all[2] = "--warehouse=" + db;
    System.arraycopy(args, 0, all, 3, args.length);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = HourlyCommand.run(all, new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void aUserIdOfZeroIsRejectedAndAnArtistWithoutATitleIsAMemberTheHourLoads(@TempDir Path dir)
      throws Exception {
    HandMadeLake l = new HandMadeLake();
    listen(l, "2026-11-23T13:05:00Z", 1, 0, "Radiohead", "Creep");
    listen(l, "2026-11-23T13:06:00Z", 2, 0, "Radiohead", "Creep");
    l.asStored("userId", 0L); // written by an older stream job, before the rule existed
    listen(l, "2026-11-23T13:07:00Z", 3, 0, "Brand New Band", "");
    l.writeTo(dir.resolve("lake"));
    Path db = dir.resolve("w.duckdb");

    String[] run = hourly(dir.resolve("lake"), db, "--hour=2026-11-23T13", "--lookbackHours=0");
    assertThat(run[1], run[0], is("0"));
    assertThat(
        query(db, "SELECT sessionId, artist, song FROM listen_events ORDER BY 1"),
        contains("1 | Radiohead | Creep", "3 | Brand New Band | "));
    assertThat(
        query(
            db,
            "SELECT source_table, rule, session_id, record LIKE '%\"userId\": 0%'"
                + " FROM rejects"),
        contains("listen_events | user_id_positive | 2 | true"));
    // the artist heard without a title is in dim_artists; its listen's song is the unknown one
    assertThat(
        query(
            db,
            "SELECT f.session_id, f.song_key, a.name FROM fact_streams f"
                + " JOIN dim_artists a USING (artist_key) ORDER BY 1"),
        contains(
            "1 | " + Keys.song("Radiohead", "Creep") + " | Radiohead", "3 | 0 | Brand New Band"));
    assertThat(
        query(db, "SELECT count(*) FROM dim_songs WHERE artist_name = 'Brand New Band'"),
        contains("0"));
    assertThat(
        query(
            db,
            "SELECT source_table, lake_rows, duplicate_rows, rejected_rows, raw_rows,"
                + " fact_rows FROM load_manifests WHERE source_table = 'listen_events'"),
        contains("listen_events | 3 | 0 | 1 | 2 | 2"));
  }

  @Test
  void twoDifferentEventsUnderOneIdentityAreNotMergedSilently(@TempDir Path dir) throws Exception {
    HandMadeLake l = new HandMadeLake();
    listen(l, "2026-11-23T13:05:00Z", 7, 1, "Radiohead", "Creep");
    listen(l, "2026-11-23T13:05:00Z", 7, 1, "Radiohead", "Creep"); // a re-read copy
    l.asStored("kafka_offset", 42L);
    listen(l, "2026-11-23T13:09:00Z", 7, 1, "Björk", "Jóga"); // another event, same identity
    l.writeTo(dir.resolve("lake"));
    Path db = dir.resolve("w.duckdb");

    String[] run = hourly(dir.resolve("lake"), db, "--hour=2026-11-23T13", "--lookbackHours=0");
    assertThat(run[1], run[0], is("0"));
    // Kafka had Radiohead (offset 42; its copy without coordinates is the same event); Björk,
    // with no Kafka coordinates, comes after it
    assertThat(query(db, "SELECT artist FROM listen_events"), contains("Radiohead"));
    assertThat(
        query(db, "SELECT rule, record LIKE '%Björk%' FROM rejects"),
        contains("conflicting_duplicate | true"));
    assertThat(
        query(
            db,
            "SELECT lake_rows, duplicate_rows, rejected_rows, raw_rows, fact_rows"
                + " FROM load_manifests WHERE source_table = 'listen_events'"),
        contains("3 | 1 | 1 | 1 | 1"));
  }

  @Test
  void underOneIdentityTheFirstEventKafkaGotIsKeptNotTheLeastAlphabetically(@TempDir Path dir)
      throws Exception {
    HandMadeLake l = new HandMadeLake();
    listen(l, "2026-11-23T13:05:00Z", 7, 1, "Radiohead", "Creep");
    l.asStored("kafka_partition", 0).asStored("kafka_offset", 5L);
    listen(l, "2026-11-23T13:05:00Z", 7, 1, "AAA Impostor", "Creep"); // produced later
    l.asStored("kafka_partition", 0).asStored("kafka_offset", 9L);
    l.writeTo(dir.resolve("lake"));
    Path db = dir.resolve("w.duckdb");
    String[] run = hourly(dir.resolve("lake"), db, "--hour=2026-11-23T13", "--lookbackHours=0");
    assertThat(run[1], run[0], is("0"));
    assertThat(
        query(db, "SELECT artist, kafka_offset FROM listen_events"), contains("Radiohead | 5"));
    assertThat(
        query(db, "SELECT rule, kafka_offset FROM rejects"), contains("conflicting_duplicate | 9"));
  }

  @Test
  void aSystemicFaultHoldsItsHourBackWithOneLinePerCheck(@TempDir Path dir) throws Exception {
    HandMadeLake l = new HandMadeLake();
    for (int i = 0; i < 300; i++) {
      listen(l, "2026-11-23T13:05:00Z", 100 + i, 0, "Radiohead", "Creep");
      if (i % 2 == 0) {
        l.asStored("level", "gold"); // half the hour: a producer's bug, not one odd record
      }
    }
    l.writeTo(dir.resolve("lake"));
    Path db = dir.resolve("w.duckdb");

    String[] run = hourly(dir.resolve("lake"), db, "--hour=2026-11-23T13", "--lookbackHours=0");
    assertThat(run[1], run[0], is("1"));
    assertThat(
        run[1],
        containsString(
            "  rejects: more than 5.0% of an hour's rows rejected"
                + " (--maxRejectedShare; the hour is held back, the others load; load it with streamify"
                + " hourly --hour=HOUR --lookbackHours=0 --maxRejectedShare=… once the fault is"
                + " understood): 1 failing, e.g. 2026112313 listen_events 150 of 300\n"));
    // the run's only hour: no other hour to speak of
    assertThat(run[1], containsString("  held back, not loaded: [2026-11-23T13]\n"));
    assertThat(run[1], not(containsString("\tat ")));
    assertThat(query(db, "SELECT count(*) FROM listen_events"), contains("0"));
    assertThat(query(db, "SELECT * FROM load_manifests"), is(empty()));

    // told it is fine, the same hour loads: 150 rows in, 150 rejected with their rule
    run =
        hourly(
            dir.resolve("lake"),
            db,
            "--hour=2026-11-23T13",
            "--lookbackHours=0",
            "--maxRejectedShare=0.6");
    assertThat(run[1], run[0], is("0"));
    assertThat(
        query(
            db,
            "SELECT (SELECT count(*) FROM listen_events), rule, count(*)"
                + " FROM rejects GROUP BY rule"),
        contains("150 | level_accepted_values | 150"));
  }

  @Test
  void aUsageMistakeIsOneLineAndExitCodeTwo(@TempDir Path dir) {
    String[] run = hourly(dir, dir.resolve("w.duckdb"), "--hour=yesterday");
    assertThat(run[0], is("2"));
    assertThat(
        run[1],
        is(
            "streamify hourly: an hour is written like 2026-11-24T13 (UTC), got"
                + " 'yesterday'\n"));
  }
}
