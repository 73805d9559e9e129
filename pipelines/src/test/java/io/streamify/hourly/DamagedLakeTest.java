package io.streamify.hourly;

import static io.streamify.hourly.CatchUpTest.H0;
import static io.streamify.hourly.CatchUpTest.HOUR;
import static io.streamify.hourly.CatchUpTest.listen;
import static io.streamify.hourly.CatchUpTest.loads;
import static io.streamify.hourly.HourlyPipelineTest.query;
import static io.streamify.hourly.RejectsTest.hourly;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.streamify.audit.Audit;
import io.streamify.events.LakeTable;
import io.streamify.lake.ClosedMarks;
import io.streamify.lake.Hours;
import io.streamify.lake.LakeLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged lake never stops the pipelines silently nor forever: a garbled closed mark counts as a
 * change (the hour is loaded again) or as absent, the stream job writes over it, and a file that is
 * not Parquet fails the hourly run with one line that names it, while the audit names it and goes
 * on.
 */
class DamagedLakeTest {
  @Test
  void garbledMarksAreChangesOrAbsentNeverAStop(@TempDir Path dir) throws Exception {
    Path lake = dir.resolve("lake");
    Path db = dir.resolve("w.duckdb");
    HandMadeLake l = new HandMadeLake();
    listen(l, "a", H0, 5, 1);
    l.writeTo(lake);
    ClosedMarks.markHour(lake.toString(), H0);
    String[] run = hourly(lake, db);
    assertThat(run[1], run[0], is("0"));

    Files.writeString(lake.resolve(LakeLayout.CLOSED_THROUGH_MARKER), "{\"closedThrough\": garb");
    Files.writeString(lake.resolve(LakeLayout.closedMarker(H0)), "not json at all");
    run = hourly(lake, db);
    // the garbled mark reads as a new version: hour 0 loads again
    assertThat(run[1], run[0], is("0"));
    assertThat(run[1], containsString("loading "));
    assertThat(loads(db).size(), is(2));

    // the stream job's next closed-through step writes over the garbled file
    ClosedMarks.raiseClosedThrough(lake.toString(), H0 + 5 * HOUR, "l2");
    assertThat(ClosedMarks.readClosedThrough(lake.toString()).get(), is(H0 + 5 * HOUR));

    // a closed-through mark in the year 9999 neither hangs the catch-up nor loads beyond a run
    Files.writeString(
        lake.resolve(LakeLayout.CLOSED_THROUGH_MARKER),
        "{\"closedThrough\":\"9999-01-01T00:00:00Z\",\"launch\":\"x\"}");
    run = hourly(lake, db, "--maxHoursPerRun=3");
    assertThat(run[1], run[0], is("0"));
    assertThat(run[1], containsString("backlog: hours_pending=3 "));
    assertThat(query(db, "SELECT count(DISTINCT hour_start) FROM load_manifests"), contains("4"));
  }

  @Test
  void aFileThatIsNotParquetIsNamedInOneLineAndTheAuditGoesOn(@TempDir Path dir) throws Exception {
    Path lake = dir.resolve("lake");
    Path db = dir.resolve("w.duckdb");
    HandMadeLake l = new HandMadeLake();
    listen(l, "a", H0, 5, 1);
    listen(l, "a", H0 + HOUR, 5, 2);
    l.writeTo(lake);
    Path broken =
        lake.resolve(
            LakeLayout.partitionFolder(LakeTable.LISTEN_EVENTS, H0 + HOUR) + "/zero.parquet");
    Files.write(broken, new byte[0]);

    String[] run =
        hourly(
            lake,
            db,
            "--hour=" + Hours.format(Instant.ofEpochMilli(H0 + HOUR)),
            "--lookbackHours=0");
    assertThat(run[1], run[0], is("1"));
    assertThat(
        run[1],
        containsString("streamify hourly: the run failed: cannot read Parquet file " + broken));
    assertThat(run[1], not(containsString("\tat ")));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        Audit.run(
            new String[] {"--lake=" + lake}, new PrintStream(out, true, StandardCharsets.UTF_8));
    String audit = out.toString(StandardCharsets.UTF_8);
    assertThat(audit, code, is(1));
    assertThat(audit, containsString("unreadable lake file " + broken));
    // the other rows are still counted
    assertThat(
        audit,
        containsString(
            Hours.format(Instant.ofEpochMilli(H0)) + "  listen_events                  1"));
    assertThat(query(db, "SELECT count(*) FROM load_manifests"), contains("0"));
  }
}
