package io.streamify.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.streamify.dashboard.DashboardServer;
import io.streamify.stream.StreamPipeline;
import io.streamify.warehouse.DuckDbWarehouse;
import io.streamify.warehouse.LoadCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes a user can make with stream, load-catalog and dashboard: each is one line and exit code
 * 2, never a stack trace. (hourly: RejectsTest and OptionsHelpTest; audit: AuditCliTest; local:
 * LocalStackCliTest; generate: the generator's CLI tests.)
 */
class CommandErrorsTest {
  static String[] run(BiFunction<String[], PrintStream, Integer> command, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = command.apply(args, new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void streamMistakes(@TempDir Path dir) {
    String[] r = run(StreamPipeline::run, "--lake=" + dir);
    assertThat(r[1], r[0], is("2"));
    assertThat(
        r[1],
        is(
            "streamify stream: Missing required value for [--bootstrapServers,"
                + " \"Kafka bootstrap servers, host:port[,host:port...]\"].\n"));
    r =
        run(
            StreamPipeline::run,
            "--bootstrapServers=localhost:9092",
            "--lake=" + dir,
            "--windowMinutes=7");
    assertThat(r[1], r[0], is("2"));
    assertThat(r[1], is("streamify stream: --windowMinutes must divide 60, got 7\n"));
    r =
        run(
            StreamPipeline::run,
            "--bootstrapServers=localhost:9092",
            "--lake=" + dir,
            "--kafkaProperties=novalue");
    assertThat(r[1], r[0], is("2"));
    assertThat(
        r[1],
        is("streamify stream: --kafkaProperties items must be key=value, got" + " 'novalue'\n"));
  }

  @Test
  void loadCatalogMistakes(@TempDir Path dir) throws Exception {
    String[] r = run(LoadCatalog::run, "--lake=" + dir);
    assertThat(r[1], r[0], is("2"));
    assertThat(r[1].lines().count(), is(1L));
    r = run(LoadCatalog::run, "--catalog=" + dir.resolve("typo.csv"), "--lake=" + dir);
    assertThat(r[1], r[0], is("2"));
    assertThat(
        r[1],
        is("streamify load-catalog: catalog " + dir.resolve("typo.csv") + " does not exist\n"));
    Path notACatalog = Files.writeString(dir.resolve("notes.txt"), "hello\n");
    r = run(LoadCatalog::run, "--catalog=" + notACatalog, "--lake=" + dir);
    assertThat(r[1], r[0], is("2"));
    assertThat(r[1].lines().count(), is(1L));
    assertThat(
        r[1].startsWith(
            "streamify load-catalog: catalog "
                + notACatalog
                + " is neither a Million Song Dataset CSV"),
        is(true));
  }

  @Test
  void dashboardMistakes(@TempDir Path dir) throws Exception {
    String[] r = run(DashboardServer::run, "--warehouse=" + dir.resolve("typo.duckdb"));
    assertThat(r[1], r[0], is("2"));
    assertThat(
        r[1],
        is(
            "streamify dashboard: no warehouse at "
                + dir.resolve("typo.duckdb")
                + " (run streamify local or streamify hourly first)\n"));
    r = run(DashboardServer::run, "--warehouse=warehouse");
    assertThat(r[1], r[0], is("2"));
    assertThat(
        r[1],
        is(
            "streamify dashboard: --warehouse must be a DuckDB file (*.duckdb) or a"
                + " BigQuery project:dataset, got warehouse\n"));
    Path file = dir.resolve("w.duckdb");
    DuckDbWarehouse.open(file.toString()).close();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      r = run(DashboardServer::run, "--warehouse=" + file, "--port=" + taken.getLocalPort());
      assertThat(r[1], r[0], is("2"));
      assertThat(
          r[1],
          is(
              "streamify dashboard: port "
                  + taken.getLocalPort()
                  + " is already in use (--port)\n"));
    }
    r = run(DashboardServer::run, "--warehouse=" + file, "--port=70000");
    assertThat(r[1], r[0], is("2"));
    assertThat(r[1], is("streamify dashboard: --port must be 0..65535, got 70000\n"));
    r = run(DashboardServer::run, "--warehouse=" + file, "--port=x");
    assertThat(r[1], r[0], is("2"));
    assertThat(r[1].lines().count(), is(1L));
    // a file named .duckdb that is not a DuckDB database, and a DuckDB database that is not ours
    Path notes = Files.writeString(dir.resolve("notes.duckdb"), "not a database\n");
    r = run(DashboardServer::run, "--warehouse=" + notes, "--port=0");
    assertThat(r[1], r[0], is("2"));
    assertThat(r[1], startsWith("streamify dashboard: " + notes + " is not a DuckDB database ("));
    assertThat(r[1].lines().count(), is(1L));
    Path other = dir.resolve("other.duckdb");
    try (var c = DriverManager.getConnection("jdbc:duckdb:" + other);
        var st = c.createStatement()) {
      st.execute("CREATE TABLE t (x INT)");
    }
    r = run(DashboardServer::run, "--warehouse=" + other, "--port=0");
    assertThat(r[1], r[0], is("2"));
    assertThat(
        r[1],
        is(
            "streamify dashboard: "
                + other
                + " is a DuckDB database but not a"
                + " Streamify warehouse (it has no fact_streams table; streamify hourly creates one)\n"));
  }
}
