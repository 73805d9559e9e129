package io.streamify.query;

import static io.streamify.events.LakeTable.LISTEN_EVENTS;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.streamify.dashboard.WarehouseWriter;
import io.streamify.hourly.HandMadeLake;
import io.streamify.hourly.HandMadeLake.Place;
import io.streamify.hourly.HandMadeLake.User;
import io.streamify.hourly.HourlyCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamify query}: the warehouse's tables by name and the lake's files as lake_* views,
 * printed as a table, CSV or JSON lines, exactly; mistakes are one line and exit 2, a warehouse
 * another process writes one line naming it and exit 1.
 */
class QueryTest {
  @TempDir static Path dir;
  static Path lake;
  static Path warehouse;

  /** Three listens in hour 13 of 2026-11-24, one with text a terminal must not obey. */
  @BeforeAll
  static void lakeAndWarehouse() throws Exception {
    User ada = new User(10, "Ada", "Lovelace", "F", "2026-10-01T08:00:00Z");
    User bob = new User(11, "Bob", "O'Brien, Jr.", "M", "2026-10-01T08:00:00Z");
    Place tampa = new Place("Tampa", "33602", "FL", -82.4, 27.9);
    HandMadeLake l = new HandMadeLake();
    l.event(
        LISTEN_EVENTS,
        "a",
        "2026-11-24T13:10:00Z",
        1,
        0,
        "Logged In",
        "free",
        ada,
        tampa,
        "artist",
        "Radiohead",
        "song",
        "Creep",
        "duration",
        238.0);
    l.event(
        LISTEN_EVENTS,
        "a",
        "2026-11-24T13:14:00Z",
        1,
        1,
        "Logged In",
        "free",
        ada,
        tampa,
        "artist",
        "Radiohead",
        "song",
        "Karma Police",
        "duration",
        261.5);
    l.asStored("song", "Karma\nPolice\u001b[31m");
    l.event(
        LISTEN_EVENTS,
        "a",
        "2026-11-24T13:20:00Z",
        2,
        0,
        "Logged In",
        "paid",
        bob,
        tampa,
        "artist",
        "Björk",
        "song",
        "Joga",
        "duration",
        305.0);
    l.asStored("song", "Jóga, \"live\"");
    lake = dir.resolve("lake");
    l.writeTo(lake);
    warehouse = dir.resolve("w.duckdb");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        HourlyCommand.run(
            new String[] {
              "--runner=DirectRunner",
              "--lake=" + lake,
              "--warehouse=" + warehouse,
              "--hour=2026-11-24T13",
              "--lookbackHours=0"
            },
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(err.toString(StandardCharsets.UTF_8), code, is(0));
  }

  /** Exit code, stdout, stderr. */
  static String[] query(String... args) {
    return query(new ByteArrayOutputStream(), args);
  }

  /** The same, writing the result to {@code sink} (stdout is then "" unless it is a buffer). */
  static String[] query(OutputStream sink, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Query.run(args, sink, new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {
      Integer.toString(code),
      sink instanceof ByteArrayOutputStream b ? b.toString(StandardCharsets.UTF_8) : "",
      err.toString(StandardCharsets.UTF_8)
    };
  }

  @Test
  void warehouseTablesByNameAsATable() {
    String[] r =
        query(
            "--warehouse=" + warehouse,
            "SELECT level, count(*) AS streams,"
                + " round(sum(duration), 1) AS seconds FROM fact_streams GROUP BY level ORDER BY level");
    assertThat(r[2], r[0], is("0"));
    assertThat(
        r[1],
        is(
            ""
                + "level | streams | seconds\n"
                + "------+---------+--------\n"
                + "free  |       2 |   499.5\n"
                + "paid  |       1 |   305.0\n"
                + "(2 rows)\n"));
  }

  @Test
  void lakeFilesAsViewsWithTheirHourPartition() {
    String[] r =
        query(
            "--lake=" + lake,
            "SELECT dt, hr, userId, song FROM lake_listen_events" + " ORDER BY ts");
    assertThat(r[2], r[0], is("0"));
    assertThat(
        "control characters are shown as spaces",
        r[1],
        is(
            ""
                + "dt         | hr | userId | song\n"
                + "-----------+----+--------+------------------\n"
                + "2026-11-24 | 13 |     10 | Creep\n"
                + "2026-11-24 | 13 |     10 | Karma Police [31m\n"
                + "2026-11-24 | 13 |     11 | Jóga, \"live\"\n"
                + "(3 rows)\n"));
  }

  @Test
  void aLakeTableWithoutFilesIsAnEmptyViewOfItsColumns() {
    String[] r =
        query(
            "--lake=" + lake, "SELECT error, count(*) AS n FROM lake_deadletter" + " GROUP BY ALL");
    assertThat(r[2], r[0], is("0"));
    assertThat(r[1], is("error | n\n------+--\n(0 rows)\n"));
  }

  @Test
  void csvAndJsonCarryTheValuesAsTheyAre() {
    String[] csv =
        query(
            "--lake=" + lake,
            "--format=csv",
            "SELECT userId, lastName, song FROM" + " lake_listen_events WHERE userId = 11");
    assertThat(csv[2], csv[0], is("0"));
    assertThat(csv[1], is("userId,lastName,song\n11,\"O'Brien, Jr.\",\"Jóga, \"\"live\"\"\"\n"));
    String[] json =
        query(
            "--warehouse=" + warehouse,
            "--format=json",
            "SELECT user_id, duration," + " ts FROM fact_streams ORDER BY ts LIMIT 1");
    assertThat(json[2], json[0], is("0"));
    assertThat(
        json[1], is("{\"user_id\":10,\"duration\":238.0," + "\"ts\":\"2026-11-24T13:10:00Z\"}\n"));
  }

  @Test
  void aLongResultShowsItsFirstRowsAndCountsTheRest() {
    String[] r = query("--warehouse=" + warehouse, "--max-rows=2", "SELECT * FROM range(5) t(n)");
    assertThat(r[1], is("n\n-\n0\n1\n(2 of 5 rows shown; --max-rows=0 shows all)\n"));
  }

  @Test
  void mistakesAreOneLineAndExitCode2() throws Exception {
    for (List<String> args :
        List.of(
            List.of("--warehouse=" + dir.resolve("typo.duckdb"), "SELECT 1"),
            List.of("--lake=" + dir.resolve("nolake"), "SELECT 1"),
            List.of("--warehouse=" + warehouse, "SELEC 1"),
            List.of("--warehouse=" + warehouse, "SELECT * FROM no_such_table"),
            List.of("--warehouse=" + warehouse, "--format=xml", "SELECT 1"),
            List.of(
                "--warehouse=" + Files.writeString(dir.resolve("notes.duckdb"), "text\n"),
                "SELECT 1"))) {
      String[] r = query(args.toArray(String[]::new));
      assertThat(args + ": " + r[2], r[0], is("2"));
      assertThat(r[2], startsWith("streamify query: "));
      assertThat(r[2], r[2].lines().count(), is(1L));
      assertThat(r[1], is(""));
    }
    assertThat(
        query("--warehouse=" + dir.resolve("typo.duckdb"), "SELECT 1")[2],
        is(
            "streamify query: no warehouse at "
                + dir.resolve("typo.duckdb")
                + " (streamify local"
                + " or streamify hourly makes one) (--warehouse)\n"));
  }

  /** A warehouse held by a writer in another process (streamify local holds it while it runs). */
  @Test
  void aWarehouseAnotherProcessWritesIsNamedAndTheLakeStillAnswers() throws Exception {
    Path copy = Files.copy(warehouse, dir.resolve("held.duckdb"));
    Process writer = WarehouseWriter.holdWriteLock(copy);
    try {
      String[] r = query("--warehouse=" + copy, "SELECT count(*) FROM fact_streams");
      assertThat(r[2], r[0], is("1"));
      assertThat(
          r[2],
          is(
              "streamify query: "
                  + copy
                  + " is open for writing in another process"
                  + " (PID "
                  + writer.pid()
                  + "), such as a running streamify local: query it once that"
                  + " stops, or query the lake_* views meanwhile\n"));
      String[] lakeOnly = query("--lake=" + lake, "SELECT count(*) AS n FROM lake_listen_events");
      assertThat(lakeOnly[1], is("n\n-\n3\n(1 row)\n"));
    } finally {
      writer.getOutputStream().close();
      writer.waitFor();
    }
  }

  /**
   * The README's walkthrough queries, as written there, on this test's warehouse and lake (a README
   * query that no longer runs, after a table or column is renamed, fails here).
   */
  @Test
  void theReadmesQueriesRun() throws Exception {
    List<String> commands =
        Files.readAllLines(Path.of("..", "README.md")).stream()
            .filter(
                line ->
                    line.startsWith("./streamify query \"")
                        || line.startsWith("./streamify query --"))
            .toList();
    assertThat(commands.toString(), commands.size() >= 6, is(true));
    for (String command : commands) {
      List<String> args = new ArrayList<>(List.of("--warehouse=" + warehouse, "--lake=" + lake));
      args.addAll(
          words(command.substring("./streamify query ".length()).replaceAll(" > [^ \"]+$", "")));
      String[] r = query(args.toArray(String[]::new));
      assertThat(command + "\n" + r[2], r[0], is("0"));
    }
  }

  /** Shell words: double-quoted parts kept whole (the README's queries use no other quoting). */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(line);
    while (m.find()) {
      words.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return words;
  }

  static String checksum(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void onlyOneReadOnlyQueryRunsAndTheWarehouseIsNeverChanged() throws Exception {
    Path copy = Files.copy(warehouse, dir.resolve("guarded.duckdb"));
    String before = checksum(copy);
    Path target = dir.resolve("written.csv");
    for (String sql :
        List.of(
            "COPY (SELECT 42 a) TO '" + copy + "' (FORMAT csv)",
            "COPY (SELECT 42 a) TO '" + target + "' (FORMAT csv)",
            "USE memory; DETACH warehouse; ATTACH '"
                + copy
                + "' AS w2; DELETE FROM w2.load_manifests",
            "SELECT 1; SELECT 2",
            "ATTACH '" + dir.resolve("new.duckdb") + "' AS n",
            "EXPORT DATABASE '" + dir.resolve("export") + "'",
            "SET threads = 1",
            "INSTALL httpfs",
            "VACUUM",
            "DELETE FROM load_manifests",
            "CREATE TABLE t AS SELECT 1")) {
      String[] r = query("--warehouse=" + copy, sql);
      assertThat(sql + ": " + r[2], r[0], is("2"));
      assertThat(r[2], r[2].lines().count(), is(1L));
    }
    assertThat(
        query("--warehouse=" + copy, "SELECT 1; SELECT 2")[2],
        is("streamify query: one" + " query at a time, got 2 statements\n"));
    assertThat(
        query("--warehouse=" + copy, "VACUUM")[2],
        is(
            "streamify query: only a query is"
                + " run (SELECT, FROM, WITH, VALUES, DESCRIBE or SHOW): nothing that writes, attaches,"
                + " copies or changes a setting\n"));
    assertThat(checksum(copy), is(before));
    assertThat(
        Files.exists(target)
            || Files.exists(dir.resolve("new.duckdb"))
            || Files.exists(dir.resolve("export")),
        is(false));
    // and the read-only forms all answer, a comment first included
    for (String sql :
        List.of(
            "FROM fact_streams LIMIT 1",
            "WITH x AS (SELECT 1 AS a) FROM x",
            "VALUES (1)",
            "DESCRIBE fact_streams",
            "SHOW TABLES",
            "-- streams\nSELECT count(*)" + " FROM fact_streams")) {
      String[] r = query("--warehouse=" + copy, sql);
      assertThat(sql + ": " + r[2], r[0], is("0"));
    }
  }

  @Test
  void valuesAreShownAsDuckDbHoldsThem() {
    String[] r =
        query(
            "--warehouse=" + warehouse,
            "--format=csv",
            "SELECT 'infinity'::TIMESTAMP"
                + " a, '-infinity'::TIMESTAMPTZ b, 'infinity'::DATE c, TIMESTAMP '1582-10-10 00:00:00' d,"
                + " TIMESTAMP '0044-03-15 (BC) 10:00:00' e, TIMESTAMPTZ '2026-11-24 13:10:00.5+00' f,"
                + " DATE '2026-11-24' g");
    assertThat(r[2], r[0], is("0"));
    assertThat(
        r[1],
        is(
            "a,b,c,d,e,f,g\ninfinity,-infinity,infinity,1582-10-10T00:00:00,"
                + "-0043-03-15T10:00:00,2026-11-24T13:10:00.500Z,2026-11-24\n"));
    String[] json = query("--warehouse=" + warehouse, "--format=json", "SELECT 1 AS a, 2 AS a");
    assertThat(json[1], is("{\"a\":1,\"a_1\":2}\n"));
  }

  @Test
  void aFullDiskFailsTheCommandAndAClosedPipeStopsItQuietly() {
    class Failing extends OutputStream {
      final String message;
      int written;

      Failing(String message) {
        this.message = message;
      }

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        written += len;
        if (written > 100_000) {
          throw new IOException(message);
        }
      }
    }
    String[] full =
        query(
            new Failing("No space left on device"),
            "--warehouse=" + warehouse,
            "--format=csv",
            "SELECT * FROM range(2000000)");
    assertThat(full[0], is("1"));
    assertThat(
        full[2], is("streamify query: cannot write the result: No space left on" + " device\n"));
    String[] head =
        query(
            new Failing("Broken pipe"),
            "--warehouse=" + warehouse,
            "--format=csv",
            "SELECT * FROM range(2000000)");
    assertThat(head[2], head[0], is("0"));
  }

  @Test
  void aDamagedFileFailsOnlyTheQueriesOfItsTableAndAGlobInAPathIsAName() throws Exception {
    Path odd = dir.resolve("odd [lake]*?");
    copyTree(lake, odd);
    Path listens =
        Files.walk(odd.resolve("events/listen_events"))
            .filter(p -> p.toString().endsWith(".parquet"))
            .findFirst()
            .orElseThrow();
    Path damaged = listens.resolveSibling("damaged.parquet");
    Files.writeString(damaged, "not parquet");
    String[] other = query("--lake=" + odd, "SELECT count(*) AS n FROM lake_page_view_events");
    assertThat(other[2], other[0], is("0"));
    String[] same = query("--lake=" + odd, "SELECT count(*) AS n FROM lake_listen_events");
    assertThat(same[0], is("1"));
    assertThat(same[2], startsWith("streamify query: "));
    assertThat(same[2], containsString("damaged.parquet"));
    assertThat(same[2].lines().count(), is(1L));
    Files.delete(damaged);
    assertThat(
        query("--lake=" + odd, "SELECT count(*) AS n FROM lake_listen_events")[1],
        is("n\n-\n3\n(1 row)\n"));
  }

  static void copyTree(Path from, Path to) throws Exception {
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  /** While streamify local holds the default warehouse, the lake still answers. */
  @Test
  void aHeldDefaultWarehouseLeavesTheLakeToQuery() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Path held = Files.copy(warehouse, data.resolve("warehouse.duckdb"));
    copyTree(lake, data.resolve("lake"));
    Path saved = Query.defaultData;
    Query.defaultData = data;
    Process writer = WarehouseWriter.holdWriteLock(held);
    try {
      String[] r = query("SELECT count(*) AS n FROM lake_listen_events");
      assertThat(r[2], r[0], is("0"));
      assertThat(r[1], is("n\n-\n3\n(1 row)\n"));
      assertThat(
          r[2],
          is(
              "streamify query: note: "
                  + held
                  + " is open for writing in another"
                  + " process (PID "
                  + writer.pid()
                  + "), such as a running streamify local; querying"
                  + " the lake only\n"));
    } finally {
      Query.defaultData = saved;
      writer.getOutputStream().close();
      writer.waitFor();
    }
  }

  @Test
  void noDataFolderHereIsAUsageMistake() throws Exception {
    // the tests run in the module's folder, which has no streamify-data/
    assertThat(Files.exists(Query.defaultData), is(false));
    String[] r = query("SELECT 1");
    assertThat(r[0], is("2"));
    assertThat(
        r[2],
        is(
            "streamify query: nothing to query: no streamify-data/ here; give"
                + " --warehouse or --lake\n"));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      assertThat(c.isValid(1), is(true));
    }
  }
}
