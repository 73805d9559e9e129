package io.streamify.local;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes on the command line or the machine: one line, exit code 2, nothing started. */
class LocalStackCliTest {
  static String run(int expectedExit, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = LocalStack.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text, exit, is(expectedExit));
    assertThat("one line: " + text, text.lines().count(), is(1L));
    return text.strip();
  }

  @Test
  void aPortInUseIsNamedBeforeAnythingIsMade(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThat(
          run(2, "--data", data.toString(), "--port", String.valueOf(port)),
          equalTo(
              "streamify local: the dashboard's port "
                  + port
                  + " is already in use (choose"
                  + " another with --port, or --port 0 for a free one)"));
      assertThat(
          run(2, "--data", data.toString(), "--kafka-port", String.valueOf(port)),
          equalTo(
              "streamify local: Kafka's port "
                  + port
                  + " is already in use (choose"
                  + " another with --kafka-port, or --kafka-port 0 for a free one)"));
    }
    assertThat(Files.exists(data), is(false));
  }

  @Test
  void optionsThatCannotWorkAreRefusedBeforeAnythingIsMade(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Path text = Files.writeString(dir.resolve("notes.duckdb"), "not a database\n");
    Path notACatalog = Files.writeString(dir.resolve("songs.csv"), "hello\n");
    assertThat(
        run(2, "--data", data.toString(), "--growth-rate", "-2"),
        equalTo("streamify local: --growth-rate must be >= 0"));
    assertThat(
        run(2, "--data", data.toString(), "--start", "1900-01-01", "--hours", "1"),
        equalTo(
            "streamify local: --start must be 1970 or later (event times are ms since"
                + " 1970-01-01 UTC), got 1900-01-01T00:00:00Z"));
    assertThat(
        run(2, "--data", data.toString(), "--lake", text.toString()),
        equalTo("streamify local: --lake " + text + " is a file, not a folder"));
    assertThat(
        run(2, "--data", data.toString(), "--warehouse", text.toString()),
        startsWith("streamify local: --warehouse " + text + " is not a DuckDB database ("));
    Files.createDirectories(dir.resolve("folder.duckdb"));
    assertThat(
        run(2, "--data", data.toString(), "--warehouse", dir.resolve("folder.duckdb").toString()),
        equalTo(
            "streamify local: --warehouse "
                + dir.resolve("folder.duckdb")
                + " is a folder, not a DuckDB file"));
    assertThat(
        run(2, "--data", data.toString(), "--catalog", notACatalog.toString()),
        startsWith(
            "streamify local: catalog "
                + notACatalog
                + " is neither a Million Song"
                + " Dataset CSV"));
    assertThat(Files.exists(data), is(false));
  }

  @Test
  void aLakeThatCannotBeWrittenIsNamed(@TempDir Path data) throws Exception {
    Path file = Files.writeString(data.resolve("not-a-folder"), "x");
    String line = run(2, "--data", data.toString(), "--lake", file.resolve("lake").toString());
    assertThat(
        line.startsWith("streamify local: cannot write to " + file.resolve("lake")), is(true));
  }

  @Test
  void unknownOptionsAndBadValuesAreOneLine(@TempDir Path data) {
    assertThat(
        run(2, "--bogus"), equalTo("streamify local: Unknown option: '--bogus' (see --help)"));
    assertThat(
        run(2, "--data", data.toString(), "--speed", "0"),
        equalTo("streamify local: --speed must be > 0"));
    // before anything starts
    assertThat(
        run(2, "--data", data.toString(), "--catalog", data.resolve("typo.csv").toString()),
        equalTo("streamify local: catalog " + data.resolve("typo.csv") + " does not exist"));
    assertThat(
        run(2, "--data", data.toString(), "--start", "yesterday"),
        equalTo(
            "streamify local: --start: expected 2026-11-23 or 2026-11-23T08:00[:00] (UTC),"
                + " got 'yesterday'"));
    // a mistyped command leaves nothing behind: no data folder is made before the checks
    Path fresh = data.resolve("fresh");
    run(2, "--data", fresh.toString(), "--start", "yesterday");
    run(2, "--data", fresh.toString(), "--hours", "2", "--start", "2999-01-01");
    run(2, "--data", fresh.toString(), "--hours", "-1");
    assertThat(Files.exists(fresh), is(false));
  }

  @Test
  void theLauncherSaysSoWhenJavaIsMissing(@TempDir Path bin) throws Exception {
    // a PATH with only what the launcher needs before it looks for java
    Files.createSymbolicLink(bin.resolve("dirname"), Path.of("/usr/bin/dirname"));
    ProcessBuilder pb =
        new ProcessBuilder("/bin/bash", Path.of("..", "streamify").toString(), "local")
            .redirectErrorStream(true);
    pb.environment().put("PATH", bin.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(), is(2));
    assertThat(
        out,
        equalTo(
            "streamify: java not found on the PATH: install a JDK 17 or newer"
                + " (e.g. apt-get install openjdk-17-jdk)\n"));
  }

  @Test
  void hoursThatEndInTheFutureAreRefused(@TempDir Path data) {
    String line = run(2, "--data", data.toString(), "--hours", "2", "--start", "2999-01-01");
    assertThat(
        line.startsWith(
            "streamify local: with --hours the simulated hours must end" + " before now"),
        is(true));
  }
}
