package io.streamify.bench;

import io.streamify.audit.Audit;
import io.streamify.events.LakeTable;
import io.streamify.generator.GeneratorCli;
import io.streamify.hourly.HourlyCommand;
import io.streamify.kafka.LocalKafka;
import io.streamify.lake.ClosedMarks;
import io.streamify.local.KafkaOffsets;
import io.streamify.stream.StreamPipeline;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code streamify audit} on one simulated day, printed, not asserted: the generator writes the day
 * of USERS users into a local broker, the stream pipeline writes the lake, the hourly job catches
 * up into DuckDB, then the audit runs (Kafka, lake and warehouse; the figure is its wall time and
 * the heap it needed) next to the baseline, DuckDB SQL counting rows and distinct events per table
 * and hour straight from the lake's Parquet. Usage: AuditBenchmark [users] [day].
 */
public final class AuditBenchmark {
  public static void main(String[] args) throws Exception {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    LocalDate day =
        args.length > 1 ? LocalDate.parse(args[1]) : LocalDate.parse("2026-11-24"); // a Tuesday
    Path work = Files.createTempDirectory("streamify-audit-bench");
    Path lake = work.resolve("lake");
    Path db = work.resolve("warehouse.duckdb");
    try (LocalKafka kafka = LocalKafka.start(0, work.resolve("kafka"), 4)) {
      long t0 = System.nanoTime();
      int code =
          GeneratorCli.run(
              new String[] {
                "-q",
                "-n",
                "" + users,
                "--start",
                day.toString(),
                "--end",
                day.plusDays(1).toString(),
                "--sink",
                "kafka",
                "-b",
                kafka.bootstrapServers(),
                "--partitions",
                "4"
              },
              System.err);
      if (code != 0) {
        throw new IllegalStateException("generator failed");
      }
      long events = produced(kafka.bootstrapServers());
      System.out.printf(
          Locale.ROOT,
          "day %s, %,d users: %,d events into Kafka in %.1f s%n",
          day,
          users,
          events,
          (System.nanoTime() - t0) / 1e9);

      t0 = System.nanoTime();
      String[] streamArgs = {
        "--runner=DirectRunner",
        "--blockOnRun=false",
        "--bootstrapServers=" + kafka.bootstrapServers(),
        "--lake=" + lake,
        "--idleTimeoutSeconds=5"
      };
      PipelineResult stream = StreamPipeline.pipeline(StreamPipeline.options(streamArgs)).run();
      long lastHour = Instant.parse(day.plusDays(1) + "T00:00:00Z").toEpochMilli() - 3_600_000L;
      while (!ClosedMarks.closedThrough(lake.toString(), Optional.empty(), Optional.empty())
              .map(t -> t.hour() >= lastHour)
              .orElse(false)
          || ClosedMarks.allHourMarks(lake.toString()).size() < 24) {
        Thread.sleep(2000);
      }
      Thread.sleep(5000); // the last marks settle
      stream.cancel();
      System.out.printf(
          Locale.ROOT,
          "stream pipeline: the day in the lake and closed in %.1f s%n",
          (System.nanoTime() - t0) / 1e9);

      // The catch-up in runs of a few hours, as the scheduled job would take a backlog: the
      // DirectRunner holds a run's events in memory.
      t0 = System.nanoTime();
      int runs = 0;
      String said;
      do {
        ByteArrayOutputStream hourlyOut = new ByteArrayOutputStream();
        code =
            HourlyCommand.run(
                new String[] {
                  "--runner=DirectRunner",
                  "--lake=" + lake,
                  "--warehouse=" + db,
                  "--maxHoursPerRun=3"
                },
                new PrintStream(hourlyOut, true, StandardCharsets.UTF_8));
        runs++;
        said = hourlyOut.toString(StandardCharsets.UTF_8);
      } while (code == 0 && !said.contains("nothing to load") && runs < 16);
      System.out.printf(
          Locale.ROOT,
          "hourly catch-up: exit %d after %d runs (3 hours each) in" + " %.1f s; last: %s%n",
          code,
          runs,
          (System.nanoTime() - t0) / 1e9,
          said.lines().reduce((a, b) -> b).orElse(""));

      System.gc();
      HeapSampler heap = new HeapSampler();
      heap.start();
      t0 = System.nanoTime();
      ByteArrayOutputStream auditOut = new ByteArrayOutputStream();
      code =
          Audit.run(
              new String[] {
                "--lake=" + lake,
                "--warehouse=" + db,
                "--bootstrapServers=" + kafka.bootstrapServers()
              },
              new PrintStream(auditOut, true, StandardCharsets.UTF_8));
      double auditSeconds = (System.nanoTime() - t0) / 1e9;
      heap.interrupt();
      String text = auditOut.toString(StandardCharsets.UTF_8);
      System.out.print(
          text.lines()
              .filter(
                  l ->
                      l.startsWith("streamify audit")
                          || l.startsWith("Kafka")
                          || l.startsWith("  topic")
                          || l.matches("  [a-z_]+ .*"))
              .reduce("", (a, b) -> a + b + "\n"));
      System.out.printf(
          Locale.ROOT,
          "streamify audit: exit %d, %.1f s wall for %,d events"
              + " (Kafka offsets, lake and warehouse), heap in use at most %,d MiB%n",
          code,
          auditSeconds,
          events,
          heap.peakMiB());

      t0 = System.nanoTime();
      long rows = duckDbBaseline(lake);
      System.out.printf(
          Locale.ROOT,
          "baseline, DuckDB SQL: rows and distinct events per table"
              + " and hour from the lake's Parquet (%,d rows): %.1f s%n",
          rows,
          (System.nanoTime() - t0) / 1e9);
    }
  }

  static long produced(String bootstrap) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(p)) {
      return KafkaOffsets.endOffsets(
              admin,
              Arrays.stream(LakeTable.values())
                  .filter(LakeTable::isEvent)
                  .map(LakeTable::tableName)
                  .toList())
          .values()
          .stream()
          .mapToLong(Long::longValue)
          .sum();
    }
  }

  static long duckDbBaseline(Path lake) throws Exception {
    long rows = 0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      for (LakeTable t : LakeTable.values()) {
        if (!t.isEvent()) {
          continue;
        }
        try (ResultSet r =
            s.executeQuery(
                "SELECT dt, hr, count(*),"
                    + " count(DISTINCT (sessionId, itemInSession)),"
                    + " count(DISTINCT (kafka_partition, kafka_offset)) FROM read_parquet('"
                    + lake.resolve(t.folder())
                    + "/*/*/*.parquet', hive_partitioning = true)"
                    + " GROUP BY ALL")) {
          while (r.next()) {
            rows += r.getLong(3);
          }
        }
      }
    }
    return rows;
  }
}
