package io.streamify.bench;

import io.streamify.events.EventParser;
import io.streamify.events.LakeTable;
import io.streamify.generator.GeneratorCli;
import io.streamify.lake.Hours;
import io.streamify.lake.LakeLayout;
import java.io.BufferedReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The hourly pipeline on one busy hour, printed, not asserted. Generates the day up to the hour
 * (default 1M users, Tuesday 2026-11-24, the 15:00 UTC afternoon peak) and writes the hour to a
 * lake as the stream pipeline would (a Parquet file per table and two-minute window), then times
 * (1) the hourly pipeline as a fresh JVM, start to exit, into a new DuckDB warehouse and (2) DuckDB
 * SQL over the same lake building the same kind of tables (de-duplicated raw tables, facts with
 * hashed keys, dimensions with a LAG-based type-2 users table) as the reference. Usage:
 * HourlyBenchmark [users] [hour] [eventsim config].
 */
public final class HourlyBenchmark {
  public static void main(String[] args) throws Exception {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    String hour = args.length > 1 ? args[1] : "2026-11-24T15";
    String config = args.length > 2 ? args[2] : null;
    Path work = Files.createTempDirectory("streamify-hourly-bench");
    try {
      Path files = work.resolve("events");
      long t0 = System.nanoTime();
      generateDayToHour(users, hour, config, files);
      Path lake = work.resolve("lake");
      Map<String, Long> rows = writeLake(files, lake, Hours.parse(hour).toEpochMilli());
      long total = rows.values().stream().mapToLong(Long::longValue).sum();
      System.out.printf(
          Locale.ROOT,
          "lake hour %s: %,d events %s (generated and written in" + " %.1f s)%n",
          hour,
          total,
          rows,
          (System.nanoTime() - t0) / 1e9);

      Path db = work.resolve("warehouse.duckdb");
      FreshRun run = runHour(lake, db, hour, 0);
      if (run.exit() != 0) {
        throw new IllegalStateException("the hourly pipeline exited " + run.exit());
      }
      double beam = run.seconds();
      long peakKib = run.peakKib();
      System.out.printf(
          Locale.ROOT,
          "hourly pipeline (DirectRunner, fresh JVM): %.1f s wall,"
              + " %,.0f events/s, peak memory %,d MiB; warehouse: %s%n",
          beam,
          total / beam,
          peakKib / 1024,
          counts(db));

      double sql = duckDbReference(lake, work.resolve("reference.duckdb"));
      System.out.printf(
          Locale.ROOT,
          "DuckDB SQL over the lake, same tables: %.1f s" + " (the pipeline takes %.1fx as long)%n",
          sql,
          beam / sql);
    } finally {
      StreamBenchmark.deleteRecursively(work);
    }
    System.exit(0);
  }

  /**
   * Generates the whole day up to the hour's end into JSON-lines files in {@code files}, so the
   * hour has users mid-session, not a cold start ({@code config}: an eventsim config, or null).
   */
  static void generateDayToHour(int users, String hour, String config, Path files) {
    List<String> gen =
        new ArrayList<>(
            List.of(
                "-q",
                "-n",
                "" + users,
                "--start",
                hour.substring(0, 10) + "T00:00",
                "--end",
                hour + ":59:59",
                "-o",
                files.toString()));
    if (config != null) {
      gen.addAll(List.of("-c", config));
    }
    if (GeneratorCli.run(gen.toArray(String[]::new), System.err) != 0) {
      throw new IllegalStateException("generator failed");
    }
  }

  /** A fresh JVM's run: wall seconds from start to exit, peak resident memory in KiB. */
  record FreshRun(double seconds, long peakKib, boolean finished, int exit) {}

  /**
   * Runs the hourly pipeline for one hour in a fresh JVM as {@code ./streamify hourly} runs it (its
   * JAVA_OPTS default, a 3 GiB heap) into {@code db}; stops it after {@code timeoutSeconds} (0: no
   * limit) and says so (not finished), and returns its exit code.
   */
  static FreshRun runHour(Path lake, Path db, String hour, long timeoutSeconds) throws Exception {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx3g",
            "-XX:+UseParallelGC",
            "-XX:TieredStopAtLevel=1",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            System.getProperty("java.class.path"),
            "io.streamify.hourly.HourlyPipeline",
            "--lake=" + lake,
            "--warehouse=" + db,
            "--hour=" + hour,
            "--lookbackHours=0");
    long t0 = System.nanoTime();
    Process run = new ProcessBuilder(cmd).inheritIO().start();
    long peakKib = 0;
    while (!run.waitFor(100, TimeUnit.MILLISECONDS)) {
      peakKib = Math.max(peakKib, peakRssKib(run.pid()));
      if (timeoutSeconds > 0 && System.nanoTime() - t0 > timeoutSeconds * 1_000_000_000L) {
        run.destroyForcibly().waitFor();
        return new FreshRun((System.nanoTime() - t0) / 1e9, peakKib, false, -1);
      }
    }
    return new FreshRun((System.nanoTime() - t0) / 1e9, peakKib, true, run.exitValue());
  }

  /** A process's peak resident memory so far (Linux: VmHWM), in KiB; 0 once it has gone. */
  static long peakRssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      // gone, or no /proc: no figure
    }
    return 0;
  }

  /** Writes JSON-lines events to the lake: one Parquet file per table and two-minute window. */
  static Map<String, Long> writeLake(Path files, Path lake, long hourStart) throws Exception {
    EventParser parser = new EventParser();
    Map<String, Long> counts = new TreeMap<>();
    for (LakeTable t : LakeTable.values()) {
      if (!t.isEvent()) {
        continue;
      }
      Map<Long, List<GenericRecord>> windows = new TreeMap<>();
      try (BufferedReader r = Files.newBufferedReader(files.resolve(t.tableName() + ".jsonl"))) {
        for (String line; (line = r.readLine()) != null; ) {
          GenericRecord e = parser.parse(t, line.getBytes(StandardCharsets.UTF_8));
          if ((Long) e.get("ts") < hourStart) {
            continue;
          }
          long window = Math.floorDiv((Long) e.get("ts"), 120_000L) * 120_000L;
          windows.computeIfAbsent(window, w -> new ArrayList<>()).add(e);
        }
      }
      long n = 0;
      for (var w : windows.entrySet()) {
        Path file =
            lake.resolve(LakeLayout.partitionFolder(t, w.getKey()))
                .resolve(LakeLayout.fileName(w.getKey(), w.getKey() + 120_000L, 0, "bench", 0, 1));
        Files.createDirectories(file.getParent());
        FileIO.Sink<GenericRecord> sink =
            ParquetIO.sink(t.schema()).withCompressionCodec(CompressionCodecName.SNAPPY);
        try (FileChannel ch =
            FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          sink.open(ch);
          for (GenericRecord e : w.getValue()) {
            sink.write(e);
          }
          sink.flush();
        }
        n += w.getValue().size();
      }
      counts.put(t.tableName(), n);
    }
    return counts;
  }

  static Map<String, Long> counts(Path db) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      for (String t :
          List.of(
              "fact_streams",
              "fact_page_views",
              "fact_logins",
              "fact_subscription_changes",
              "dim_users",
              "dim_songs",
              "dim_location")) {
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + t)) {
          r.next();
          out.put(t, r.getLong(1));
        }
      }
    }
    return out;
  }

  /** The reference: DuckDB SQL building comparable tables from the same lake hour. */
  static double duckDbReference(Path lake, Path db) throws Exception {
    String events = lake.resolve("events").toString();
    List<String> sql = new ArrayList<>();
    for (String t :
        List.of("listen_events", "page_view_events", "auth_events", "status_change_events")) {
      sql.add(
          "CREATE TABLE "
              + t
              + " AS SELECT * FROM read_parquet('"
              + events
              + "/"
              + t
              + "/*/*/*.parquet') QUALIFY row_number() OVER (PARTITION BY sessionId, itemInSession"
              + " ORDER BY ts) = 1");
    }
    sql.add(
        "CREATE TABLE fact_streams AS SELECT ts, sessionId, itemInSession, userId, level,"
            + " hash(lower(trim(artist)), lower(trim(song))) AS song_key, hash(lower(trim(artist)))"
            + " AS artist_key, hash(city, upper(state), zip) AS location_key,"
            + " strftime(ts, '%Y%m%d%H')::BIGINT AS datetime_key, duration FROM listen_events");
    sql.add(
        "CREATE TABLE fact_page_views AS SELECT ts, sessionId, itemInSession,"
            + " coalesce(userId, 0) AS user_id, level, page, hash(city, upper(state), zip)"
            + " AS location_key FROM page_view_events");
    sql.add(
        "CREATE TABLE dim_location AS SELECT DISTINCT ON (k) hash(city, upper(state), zip)"
            + " AS k, city, upper(state) AS state, zip, lat, lon FROM page_view_events");
    sql.add(
        "CREATE TABLE dim_songs AS SELECT DISTINCT ON (k) hash(lower(trim(artist)),"
            + " lower(trim(song))) AS k, artist, song, duration FROM listen_events");
    sql.add(
        "CREATE TABLE dim_users AS WITH obs AS (SELECT userId, ts, level FROM"
            + " page_view_events WHERE userId IS NOT NULL UNION ALL SELECT userId, ts,"
            + " CASE level WHEN 'paid' THEN 'free' ELSE 'paid' END FROM status_change_events),"
            + " marked AS (SELECT *, level IS DISTINCT FROM lag(level) OVER (PARTITION BY userId"
            + " ORDER BY ts) AS starts FROM obs) SELECT userId, level, ts AS row_activation,"
            + " coalesce(lead(ts) OVER (PARTITION BY userId ORDER BY ts),"
            + " TIMESTAMPTZ '9999-12-31') AS row_expiration FROM marked WHERE starts");
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
