package io.streamify.local;

import io.streamify.lake.Hours;
import io.streamify.warehouse.DuckDbWarehouse;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The summary {@code streamify local --hours N} prints at the end: the hours, the time and peak
 * memory, the generator's rate and when hours reached the warehouse, events per topic produced
 * (Kafka offsets) against those in the warehouse, rows per table and the data-quality results.
 * Times are {@link System#nanoTime} readings; {@link #print} returns 0 when every produced event is
 * in the warehouse and every check passed, else 1.
 */
final class RunReport {
  private final PrintStream out;
  private final List<String> topics;
  private final HourlyRunner hourly;
  private final long events;
  private final long runStart;
  private final long generatorStarted;
  private final long generatorFinished;

  RunReport(
      PrintStream out,
      List<String> topics,
      HourlyRunner hourly,
      long events,
      long runStart,
      long generatorStarted,
      long generatorFinished) {
    this.out = out;
    this.topics = topics;
    this.hourly = hourly;
    this.events = events;
    this.runStart = runStart;
    this.generatorStarted = generatorStarted;
    this.generatorFinished = generatorFinished;
  }

  int print(
      List<Long> wanted,
      Map<String, Long> before,
      Map<String, Long> after,
      Path warehouseFile,
      double seconds,
      long peakKb)
      throws SQLException {
    long from = wanted.get(0);
    long to = wanted.get(wanted.size() - 1) + Hours.MILLIS;
    boolean ok = true;
    out.printf(
        Locale.ROOT,
        "streamify local: %d simulated hour(s), %s to %s UTC, in %.0f s; peak"
            + " memory %,d MiB (stack and broker)%n",
        wanted.size(),
        Hours.format(Instant.ofEpochMilli(from)),
        Hours.format(Instant.ofEpochMilli(to)),
        seconds,
        peakKb / 1024);
    double generating = (generatorFinished - generatorStarted) / 1e9;
    out.printf(
        Locale.ROOT,
        "  generator: %,d events in %.1f s (%,.0f events/s); first hour in the"
            + " warehouse %.1f s after start; last hour %.1f s after the generator finished%n",
        events,
        generating,
        events / Math.max(generating, 1e-9),
        (hourly.firstLoaded - runStart) / 1e9,
        (hourly.lastLoaded - generatorFinished) / 1e9);
    out.printf("  %-22s %12s %12s%n", "events per topic", "produced", "warehouse");
    try (DuckDbWarehouse w = DuckDbWarehouse.open(warehouseFile.toString())) {
      for (String topic : topics) {
        long produced = after.getOrDefault(topic, 0L) - before.getOrDefault(topic, 0L);
        long loaded = count(w.connection(), topic, from, to);
        ok &= produced == loaded;
        out.printf(
            Locale.ROOT,
            "  %-22s %,12d %,12d%s%n",
            topic,
            produced,
            loaded,
            produced == loaded ? "" : "   MISMATCH");
      }
      out.println("  warehouse rows: " + DuckDbWarehouse.summary(warehouseFile.toString()));
    }
    List<String> failures = hourly.failures();
    if (failures.isEmpty()) {
      out.printf("  data quality: every check passed (%d hourly runs)%n", hourly.runs());
    } else {
      ok = false;
      out.println("  data quality: FAILED");
      failures.forEach(f -> out.println("    " + f));
    }
    return ok ? 0 : 1;
  }

  static long count(Connection c, String table, long from, long to) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT count(*) FROM " + table + " WHERE ts >= ? AND ts < ?")) {
      s.setObject(1, OffsetDateTime.ofInstant(Instant.ofEpochMilli(from), ZoneOffset.UTC));
      s.setObject(2, OffsetDateTime.ofInstant(Instant.ofEpochMilli(to), ZoneOffset.UTC));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
