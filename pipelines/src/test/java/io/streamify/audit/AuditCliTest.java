package io.streamify.audit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.streamify.events.LakeTable;
import io.streamify.lake.ParquetFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A usage mistake is one line and exit code 2; an empty lake has nothing to account for. */
class AuditCliTest {
  static String[] audit(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Audit.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
    return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void mistakesAreOneLineWithExitCodeTwo(@TempDir Path lake) {
    String[] r = audit("--warehouse=w.duckdb");
    assertThat(r[1], r[0], is("2"));
    assertThat(
        r[1],
        is(
            "streamify audit: Missing required option: '--lake=DIR|gs://BUCKET/PREFIX'"
                + " (see --help)\n"));
    r = audit("--lake=" + lake, "--from=yesterday");
    assertThat(r[1], r[0], is("2"));
    assertThat(
        r[1],
        is("streamify audit: an hour is written like 2026-11-24T13 (UTC), got" + " 'yesterday'\n"));
    r = audit("--lake=" + lake, "--from=2026-11-24T13", "--to=2026-11-24T12");
    assertThat(r[1], is("streamify audit: --from is after --to\n"));
    // a lake that is not there is a mistake, not an empty lake with every record accounted for
    r = audit("--lake=" + lake.resolve("typo"));
    assertThat(r[1], r[0], is("2"));
    assertThat(r[1], is("streamify audit: no lake at " + lake.resolve("typo") + "\n"));
  }

  @Test
  void theAuditNeverCreatesOrChangesAWarehouse(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("typo.duckdb");
    String[] r = audit("--lake=" + dir, "--warehouse=" + missing);
    assertThat(r[1], r[0], is("2"));
    assertThat(r[1], containsString("streamify audit: no warehouse at " + missing));
    assertThat(Files.exists(missing), is(false));

    // a lake with an hour of events, and a DuckDB file that is somebody else's
    ParquetFiles.write(
        dir.resolve("events/auth_events/dt=2026-11-23/hr=13/a.parquet").toString(),
        dir.resolve("tmp").toString(),
        LakeTable.AUTH_EVENTS.schema(),
        sink -> {});
    Path foreign = dir.resolve("theirs.duckdb");
    try (var c = DriverManager.getConnection("jdbc:duckdb:" + foreign);
        var s = c.createStatement()) {
      s.execute("CREATE TABLE budget (item VARCHAR)");
    }
    r = audit("--lake=" + dir, "--warehouse=" + foreign);
    assertThat(r[1], r[0], is("2"));
    assertThat(r[1], containsString("is not a Streamify warehouse"));
    try (var c = DriverManager.getConnection("jdbc:duckdb:" + foreign);
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM information_schema.tables")) {
      rs.next();
      assertThat("nothing added to it", rs.getLong(1), is(1L));
    }
    // and a file named .duckdb that is no DuckDB database at all: a usage mistake too
    Path text = Files.writeString(dir.resolve("notes.duckdb"), "not a database\n");
    r = audit("--lake=" + dir, "--warehouse=" + text);
    assertThat(r[1], r[0], is("2"));
    assertThat(r[1], containsString("streamify audit: " + text + " is not a DuckDB database ("));
    assertThat(Files.readString(text), is("not a database\n"));
  }

  @Test
  void anHourOutOfRangeIsAUsageMistake(@TempDir Path lake) {
    String[] r = audit("--lake=" + lake, "--from=+999999999-01-01T00");
    assertThat(r[1], r[0], is("2"));
    assertThat(r[1], containsString("an hour between 1970 and 9999"));
  }

  @Test
  void anEmptyLakeIsAccountedForAndSaysWhatWasNotChecked(@TempDir Path lake) {
    String[] r = audit("--lake=" + lake);
    assertThat(r[1], r[0], is("0"));
    assertThat(r[1], containsString("the lake has no event in these hours"));
    assertThat(
        r[1],
        containsString("note: no --bootstrapServers: the lake was not reconciled" + " with Kafka"));
    assertThat(r[1], containsString("every record accounted for"));
  }
}
