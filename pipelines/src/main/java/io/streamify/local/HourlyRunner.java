package io.streamify.local;

import io.streamify.hourly.HourlyCommand;
import io.streamify.hourly.HourlyPipeline;
import io.streamify.hourly.LoadManifests;
import io.streamify.hourly.LoadPlan;
import io.streamify.hourly.checks.DataQualityException;
import io.streamify.warehouse.DuckDbWarehouse;
import java.io.PrintStream;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;

/**
 * {@code streamify local}'s hourly runner: one run of the hourly pipeline at a time, for what a
 * catch-up finds ({@link LoadPlan#catchUp}): closed hours without a committed load manifest in the
 * warehouse, hours whose closed mark changed since their load (arrival files), and empty hours. An
 * hour whose run failed is not tried again until its mark changes (new data) or the stack restarts:
 * what the warehouse has committed, not what this runner remembers, decides.
 */
final class HourlyRunner {
  private final String lake;
  private final String warehouse;
  private final PrintStream out;
  private final long runStart;
  private final LoadPlan.Window window;
  private final Thread thread;
  private final ConcurrentSkipListSet<Long> loaded = new ConcurrentSkipListSet<>();
  private final Map<Long, String> failed = new ConcurrentHashMap<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private volatile List<Long> pending = List.of();
  private volatile Long lastClosed;
  private volatile boolean planned;
  private volatile boolean stopping;
  private volatile int runs;
  volatile long firstLoaded;
  volatile long lastLoaded;

  /**
   * @param runStart System.nanoTime() when the stack started, for the progress lines
   * @param window the hours to consider (see {@link StackStart#hourlyWindow})
   */
  HourlyRunner(
      String lake, String warehouse, PrintStream out, long runStart, LoadPlan.Window window) {
    this.lake = lake;
    this.warehouse = warehouse;
    this.out = out;
    this.runStart = runStart;
    this.window = window;
    this.thread = new Thread(this::loop, "hourly-runner");
  }

  void start() {
    thread.start();
  }

  void stop() {
    stopping = true;
    try {
      thread.join(TimeUnit.MINUTES.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  Long lastClosedHour() {
    return lastClosed;
  }

  Long lastProcessed() {
    return loaded.isEmpty() ? null : loaded.last();
  }

  /** Hours the warehouse holds a load of (this run's and earlier runs'). */
  int processedCount() {
    return loaded.size();
  }

  int runs() {
    return runs;
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  /** Every one of these hours is loaded, or failed, and none waits for a load (again). */
  boolean doneWith(List<Long> hours) {
    List<Long> now = pending;
    return planned
        && hours.stream()
            .allMatch(h -> (loaded.contains(h) || failed.containsKey(h)) && !now.contains(h));
  }

  private void loop() {
    loadedBefore();
    while (!stopping) {
      try {
        LoadPlan plan;
        try (LoadManifests manifests = LoadManifests.open(warehouse)) {
          plan = LoadPlan.catchUp(lake, manifests, window, 24);
        }
        plan.lastClosed().ifPresent(h -> lastClosed = h);
        List<Long> hours =
            plan.hours().stream().filter(h -> !plan.version(h).equals(failed.get(h))).toList();
        pending = hours;
        planned = true;
        if (!hours.isEmpty()) {
          run(new LoadPlan(hours, plan.versions(), plan.lastClosed()));
        } else {
          Thread.sleep(1000);
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        out.println("streamify local: the hourly runner failed: " + e);
        try {
          Thread.sleep(5000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** The hours an earlier run of the stack loaded, for the status line. */
  private void loadedBefore() {
    try (DuckDbWarehouse w = DuckDbWarehouse.open(warehouse);
        Statement s = w.connection().createStatement();
        ResultSet r = s.executeQuery("SELECT DISTINCT epoch_ms(hour_start) FROM load_manifests")) {
      while (r.next()) {
        loaded.add(r.getLong(1));
      }
    } catch (Exception e) {
      out.println("streamify local: cannot read the warehouse's load manifests: " + e.getMessage());
    }
  }

  private void run(LoadPlan plan) {
    String what = plan.describe();
    String[] args = {"--runner=DirectRunner", "--lake=" + lake, "--warehouse=" + warehouse};
    long t0 = System.nanoTime();
    try {
      HourlyPipeline.Options o = HourlyPipeline.options(args);
      PipelineResult.State state =
          HourlyPipeline.pipeline(o, plan, UUID.randomUUID().toString().substring(0, 8), null)
              .run()
              .waitUntilFinish();
      runs++;
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("the run ended " + state);
      }
      loaded.addAll(plan.hours());
      plan.hours().forEach(failed::remove);
      lastLoaded = System.nanoTime();
      if (firstLoaded == 0) {
        firstLoaded = lastLoaded;
      }
      out.printf(
          Locale.ROOT,
          "streamify local: [%5.1f s] hourly pipeline loaded %s in %.1f s%n",
          (lastLoaded - runStart) / 1e9,
          what,
          (lastLoaded - t0) / 1e9);
    } catch (RuntimeException e) {
      runs++;
      plan.hours().forEach(h -> failed.put(h, plan.version(h)));
      DataQualityException dq = DataQualityException.in(e);
      List<String> lines = dq != null ? dq.failures() : List.of(HourlyCommand.rootMessage(e));
      lines.forEach(l -> failures.add(what + ": " + l));
      out.println(
          "streamify local: hourly pipeline FAILED for "
              + what
              + " (tried again when"
              + " the hour changes or the stack restarts):");
      lines.forEach(l -> out.println("    " + l));
    }
  }
}
