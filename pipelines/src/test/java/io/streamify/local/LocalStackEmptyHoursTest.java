package io.streamify.local;

import static io.streamify.hourly.HourlyPipelineTest.query;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hours in which nothing happens still close and load: twenty users on a Wednesday between 05:00
 * and 07:00 UTC produce no event at all (the generator's default seed), and {@code streamify local
 * --hours 2} still ends, with both hours loaded as empty hours.
 */
class LocalStackEmptyHoursTest {
  @Test
  void twoHoursWithoutAnyEventCloseLoadAsEmptyAndTheRunEnds(@TempDir Path data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        LocalStack.run(
            new String[] {
              "-n",
              "20",
              "--start",
              "2026-11-25T05:00",
              "--hours",
              "2",
              "--speed",
              "600",
              "--port",
              "0",
              "--data",
              data.toString()
            },
            new PrintStream(out, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    assertThat(text, exit, is(0));
    assertThat(text, containsString("  listen_events                     0            0\n"));
    assertThat(
        query(
            data.resolve("warehouse.duckdb"),
            "SELECT strftime(hour_start, '%H'),"
                + " sum(lake_rows), count(*) FROM load_manifests GROUP BY 1 ORDER BY 1"),
        contains("05 | 0 | 4", "06 | 0 | 4"));
  }
}
