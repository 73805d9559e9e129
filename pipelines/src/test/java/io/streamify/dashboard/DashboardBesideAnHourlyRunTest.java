package io.streamify.dashboard;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.streamify.warehouse.DuckDbWarehouse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone dashboard never blocks an hourly run of another process: it holds the DuckDB file
 * only during a query (read-only), so another process takes the write lock while the dashboard is
 * up; while that process holds it, the API answers 503 with one line naming it, and serves again
 * once it is gone.
 */
class DashboardBesideAnHourlyRunTest {
  /** Another process: opens the warehouse read-write (as an hourly run), says so, holds it. */
  @Test
  void anotherProcessLoadsWhileTheDashboardServes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("w.duckdb");
    DuckDbWarehouse.open(file.toString()).close();
    try (DuckDbQueries queries = DuckDbQueries.readOnly(file.toString());
        DashboardServer server = DashboardServer.start(new Dashboard(queries), 0)) {
      String own = "localhost:" + server.port();
      assertThat(
          DashboardSafetyTest.get(server.port(), "/api/meta", own, null, null)[0], is("200"));

      // the write lock, taken while the dashboard is up (waiting out a query if one runs)
      Process writer = WarehouseWriter.holdWriteLock(file);
      try {
        String[] busy = DashboardSafetyTest.get(server.port(), "/api/meta", own, null, null);
        assertThat(busy[0], is("503"));
        assertThat(
            busy[1],
            containsString(
                file
                    + " is being written by another process (PID "
                    + writer.pid()
                    + "); the page retries at its next refresh"));
        assertThat(busy[1].contains("\\n"), is(false));
      } finally {
        writer.getOutputStream().close();
        assertThat(writer.waitFor(30, TimeUnit.SECONDS), is(true));
      }
      assertThat(
          DashboardSafetyTest.get(server.port(), "/api/meta", own, null, null)[0], is("200"));
    }
  }
}
