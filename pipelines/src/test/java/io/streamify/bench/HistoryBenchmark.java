package io.streamify.bench;

import io.streamify.hourly.summaries.HourCount;
import io.streamify.hourly.summaries.Summary;
import io.streamify.hourly.summaries.UserLevel;
import io.streamify.lake.Hours;
import io.streamify.lake.LakeLayout;
import io.streamify.lake.ParquetSink;
import io.streamify.lake.ReadParquetFiles;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.beam.sdk.io.FileSystems;

/**
 * The hourly pipeline for one hour after days of processed history, printed, not asserted: does its
 * cost follow the hour or the history? Generates one hour (default 10k users, Tuesday
 * 2026-11-24T15, eventsim's example config) into a lake and runs the hourly pipeline on it once,
 * which writes the hour's summaries. Then, for each history length (default 1, 30 and 365 days),
 * synthesises the summaries of every hour before it (copies of the hour's own: the same places and
 * songs every hour, each user's first observation at the same minute, the hour counts), and runs
 * the hourly pipeline for the hour again, in a fresh JVM into a new DuckDB warehouse, printing its
 * wall time and peak memory. A run is stopped after a time limit (default 600 s) and reported as
 * not finished. Usage: HistoryBenchmark [users] [days,days,...] [limit seconds] [hour] [config].
 */
public final class HistoryBenchmark {
  public static void main(String[] args) throws Exception {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    List<Integer> days =
        args.length > 1
            ? Arrays.stream(args[1].split(",")).map(Integer::parseInt).sorted().toList()
            : List.of(1, 30, 365);
    long limit = args.length > 2 ? Long.parseLong(args[2]) : 600;
    String hour = args.length > 3 ? args[3] : "2026-11-24T15";
    String config = args.length > 4 ? args[4] : "fixtures/eventsim/example-config.json";
    long hourStart = Hours.parse(hour).toEpochMilli();
    Path work = Files.createTempDirectory("streamify-history-bench");
    try {
      Path files = work.resolve("events");
      HourlyBenchmark.generateDayToHour(users, hour, config, files);
      Path lake = work.resolve("lake");
      Map<String, Long> rows = HourlyBenchmark.writeLake(files, lake, hourStart);
      long events = rows.values().stream().mapToLong(Long::longValue).sum();
      HourlyBenchmark.FreshRun first =
          HourlyBenchmark.runHour(lake, work.resolve("first.duckdb"), hour, limit);
      if (!first.finished() || first.exit() != 0) {
        throw new IllegalStateException("the hourly pipeline failed on the hour alone");
      }
      System.out.printf(
          Locale.ROOT,
          "hour %s: %,d events of %,d users; no history: %.1f s wall, peak memory %,d MiB%n",
          hour,
          events,
          users,
          first.seconds(),
          first.peakKib() / 1024);

      int written = 0;
      for (int d : days) {
        long t0 = System.nanoTime();
        for (int k = written + 1; k <= d * 24; k++) {
          copyHour(lake.toString(), hourStart, hourStart - k * Hours.MILLIS);
        }
        written = d * 24;
        double synthesis = (System.nanoTime() - t0) / 1e9;
        HourlyBenchmark.FreshRun run =
            HourlyBenchmark.runHour(lake, work.resolve("after-" + d + ".duckdb"), hour, limit);
        System.out.printf(
            Locale.ROOT,
            "after %d days (%,d hours of summaries, synthesised in %.0f s): %s%n",
            d,
            d * 24,
            synthesis,
            !run.finished()
                ? String.format(
                    Locale.ROOT,
                    "not finished within %d s (stopped), peak memory %,d MiB so far",
                    limit,
                    run.peakKib() / 1024)
                : run.exit() != 0
                    ? String.format(
                        Locale.ROOT,
                        "failed after %.1f s (exit %d, its line above), peak memory %,d MiB",
                        run.seconds(),
                        run.exit(),
                        run.peakKib() / 1024)
                    : String.format(
                        Locale.ROOT,
                        "%.1f s wall (%.2fx no history), peak memory %,d MiB",
                        run.seconds(),
                        run.seconds() / first.seconds(),
                        run.peakKib() / 1024));
      }
    } finally {
      StreamBenchmark.deleteRecursively(work);
    }
    System.exit(0);
  }

  /** The summaries of the hour at {@code from} as those of the hour at {@code to}. */
  static void copyHour(String lake, long from, long to) throws Exception {
    long shift = to - from;
    copy(lake, Summary.LOCATIONS, from, to, null);
    copy(lake, Summary.SONGS, from, to, null);
    copy(
        lake,
        Summary.HOUR_COUNTS,
        from,
        to,
        (HourCount c) ->
            new HourCount(
                c.hourStart() + shift,
                c.tableName(),
                c.lakeRows(),
                c.distinctRows(),
                c.duplicateRows(),
                c.rejectedRows()));
    copy(
        lake,
        Summary.USER_LEVELS,
        from,
        to,
        (UserLevel u) ->
            new UserLevel(
                u.userId(),
                u.ts() + shift,
                u.rank(),
                u.level(),
                u.firstName(),
                u.lastName(),
                u.gender(),
                u.registration()));
  }

  private static String file(String lake, Summary<?> summary, long hour) {
    return LakeLayout.resolve(
        lake, summary.folder() + "/" + LakeLayout.hourPartition(hour) + "/summary.parquet");
  }

  /**
   * Writes the rows of one hour's summary, changed by {@code change} (null: the file as it is), as
   * another hour's; of a user's observations only the first of the hour (a constant level).
   */
  private static <T extends Record> void copy(
      String lake, Summary<T> summary, long from, long to, UnaryOperator<T> change)
      throws Exception {
    Path source = Path.of(file(lake, summary, from));
    Path target = Path.of(file(lake, summary, to));
    Files.createDirectories(target.getParent());
    if (change == null) {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    List<T> rows = new ArrayList<>();
    ReadParquetFiles.read(
        FileSystems.matchSingleFileSpec(source.toString()),
        summary.schema(),
        r -> rows.add(summary.rowType().fromAvro(r)));
    if (summary == (Summary<?>) Summary.USER_LEVELS) {
      rows.sort((a, b) -> UserLevel.TIME_ORDER.compare((UserLevel) a, (UserLevel) b));
    }
    Set<Long> seenUsers = new HashSet<>();
    ParquetSink sink = ParquetSink.of(summary.schema());
    try (FileChannel ch =
        FileChannel.open(
            target,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      sink.open(ch);
      for (T r : rows) {
        T changed = change.apply(r);
        if (changed instanceof UserLevel u && !seenUsers.add(u.userId())) {
          continue;
        }
        sink.write(summary.rowType().toAvro(changed));
      }
      sink.flush();
    }
  }
}
