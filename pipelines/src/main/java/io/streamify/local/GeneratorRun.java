package io.streamify.local;

import io.streamify.generator.GeneratorCli;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The generator of {@code streamify local}: the accelerated simulation on a thread of its own,
 * writing to the stack's broker, its log in {@code DATA/logs/generator.log}; and what the stack
 * reads of it while it runs (the simulated clock, events sent, its exit code).
 */
final class GeneratorRun {
  private final AtomicLong simulatedClock = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong eventsSent = new AtomicLong();
  private volatile int exit = -1;
  private volatile long startedNanos;
  private volatile long finishedNanos;
  private Thread thread;

  /** What the simulation is: users, growth, speed, seed, catalog, first session id. */
  record Settings(
      long users,
      double growthRate,
      double speed,
      Long seed,
      String catalog,
      long firstSessionId,
      String bootstrapServers) {
    /** "5,000 users from START at 60x, 2 hours (to END)", for the stack's line. */
    String describe(Instant from, Instant to) {
      String hours = to == null ? "" : String.valueOf(Duration.between(from, to).toHours());
      return String.format(
          Locale.ROOT,
          "%,d users from %s at %sx%s",
          users,
          from,
          speed == Math.rint(speed) ? String.valueOf((long) speed) : speed,
          to == null
              ? ", until Ctrl-C"
              : ", " + hours + (hours.equals("1") ? " hour" : " hours") + " (to " + to + ")");
    }
  }

  /**
   * Starts simulating from {@code from} to {@code to} (null: until stopped).
   *
   * @throws IOException the log cannot be created
   */
  void start(Settings s, Instant from, Instant to, Path log) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-n",
                String.valueOf(s.users()),
                "--growth-rate",
                String.valueOf(s.growthRate()),
                "--mode",
                "accelerated",
                "--speed",
                String.valueOf(s.speed()),
                "--start",
                from.toString(),
                "--sink",
                "kafka",
                "-b",
                s.bootstrapServers(),
                "--first-session-id",
                String.valueOf(s.firstSessionId()),
                "--kafka-timeout",
                "60"));
    if (to != null) {
      args.addAll(List.of("--end", to.toString()));
    }
    if (s.seed() != null) {
      args.addAll(List.of("--seed", String.valueOf(s.seed())));
    }
    if (s.catalog() != null) {
      args.addAll(List.of("--catalog", s.catalog()));
    }
    PrintStream out = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
    thread =
        new Thread(
            () -> {
              startedNanos = System.nanoTime();
              int code =
                  GeneratorCli.run(
                      args.toArray(String[]::new),
                      out,
                      (time, records, active, done) -> {
                        simulatedClock.accumulateAndGet(time, Math::max);
                        eventsSent.set(records);
                      });
              finishedNanos = System.nanoTime();
              exit = code;
              out.close();
            },
            "generator");
    thread.start();
  }

  /** The latest simulated time reported (epoch ms), or Long.MIN_VALUE before the first report. */
  long simulatedClock() {
    return simulatedClock.get();
  }

  long eventsSent() {
    return eventsSent.get();
  }

  /** The generator's exit code; -1 while it runs. */
  int exit() {
    return exit;
  }

  long startedNanos() {
    return startedNanos;
  }

  long finishedNanos() {
    return finishedNanos;
  }

  /** Interrupts the simulation and waits for it (up to 30 s). */
  void stop() {
    if (thread == null) {
      return;
    }
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
