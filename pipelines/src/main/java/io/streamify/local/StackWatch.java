package io.streamify.local;

import io.streamify.audit.Audit;
import io.streamify.generator.PeakMemory;
import io.streamify.kafka.LocalKafka;
import io.streamify.lake.Hours;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The running {@code streamify local}, watched: its health (stream pipeline, broker, generator), a
 * status line now and then, and with {@code --hours} the wait for every hour to be loaded, the
 * audit and the report.
 */
final class StackWatch {
  /** The running stack, as the watch sees it. */
  record Running(
      PrintStream out,
      Path data,
      Path lake,
      Path warehouse,
      LocalKafka kafka,
      PipelineResult stream,
      GeneratorRun generator,
      HourlyRunner hourly,
      long runStart,
      BooleanSupplier stopped,
      Runnable saveState,
      Runnable stop) {}

  private final Running stack;
  private final PrintStream out;

  StackWatch(Running stack) {
    this.stack = stack;
    this.out = stack.out();
  }

  /** Interactive: a status line every 30 s until Ctrl-C (the shutdown hook stops things). */
  int untilStopped() throws InterruptedException {
    while (true) {
      for (int i = 0; i < 30; i++) {
        Thread.sleep(1000);
        checkHealth();
      }
      status();
    }
  }

  void checkHealth() {
    if (stack.stopped().getAsBoolean()) {
      return; // Ctrl-C: the stop cancels the stream itself; that is no failure
    }
    PipelineResult.State s = stack.stream().getState();
    if (s.isTerminal()) {
      throw new IllegalStateException(
          "the stream pipeline stopped: " + s + " (see " + stack.data().resolve("logs") + ")");
    }
    if (!stack.kafka().isAlive()) {
      throw new IllegalStateException(
          "the Kafka broker exited (see " + stack.data().resolve("kafka/broker.log") + ")");
    }
    if (stack.generator().exit() > 0 && stack.generator().exit() != 130) {
      throw new IllegalStateException(
          "the generator failed (exit "
              + stack.generator().exit()
              + ", see "
              + stack.data().resolve("logs/generator.log")
              + ")");
    }
  }

  void status() {
    stack.saveState().run();
    long clock = stack.generator().simulatedClock();
    Long closed = stack.hourly().lastClosedHour();
    out.printf(
        Locale.ROOT,
        "streamify local: simulated %s · %,d events sent · lake closed"
            + " through %s · warehouse: %d hour%s loaded%s · heap %d MiB%n",
        clock == Long.MIN_VALUE ? "-" : Instant.ofEpochMilli(clock).truncatedTo(ChronoUnit.MINUTES),
        stack.generator().eventsSent(),
        closed == null ? "-" : Hours.format(Instant.ofEpochMilli(closed)),
        stack.hourly().processedCount(),
        stack.hourly().processedCount() == 1 ? "" : "s",
        stack.hourly().lastProcessed() == null
            ? ""
            : " (latest "
                + Hours.format(Instant.ofEpochMilli(stack.hourly().lastProcessed()))
                + ")",
        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
  }

  /** --hours: waits until the generator is done and every hour is processed, then sums up. */
  int hours(Instant simStart, Instant simEnd, Map<String, Long> offsetsBefore) throws Exception {
    List<Long> wanted =
        Hours.range(
            simStart.truncatedTo(ChronoUnit.HOURS),
            simEnd.minusMillis(1).truncatedTo(ChronoUnit.HOURS));
    long lastProgress = System.nanoTime();
    String lastSeen = "";
    long lastStatus = System.nanoTime();
    while (!(stack.generator().exit() >= 0 && stack.hourly().doneWith(wanted))) {
      Thread.sleep(500);
      checkHealth();
      String seen =
          stack.generator().eventsSent()
              + "/"
              + stack.hourly().processedCount()
              + "/"
              + stack.hourly().lastClosedHour();
      if (!seen.equals(lastSeen)) {
        lastSeen = seen;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > TimeUnit.MINUTES.toNanos(5)) {
        throw new IllegalStateException(
            "no progress for 5 minutes (see " + stack.data().resolve("logs") + ")");
      }
      if (System.nanoTime() - lastStatus > TimeUnit.SECONDS.toNanos(15)) {
        lastStatus = System.nanoTime();
        status();
      }
    }
    double seconds = (System.nanoTime() - stack.runStart()) / 1e9;
    Map<String, Long> offsetsAfter = endOffsets(stack.kafka());
    long peakKb =
        PeakMemory.kib(ProcessHandle.current().pid()) + PeakMemory.kib(stack.kafka().pid());
    // The audit, while the broker still runs: every offset in the lake, every hour loaded.
    ByteArrayOutputStream audit = new ByteArrayOutputStream();
    int audited =
        Audit.run(
            new String[] {
              "--lake=" + stack.lake(),
              "--warehouse=" + stack.warehouse(),
              "--bootstrapServers=" + stack.kafka().bootstrapServers(),
              "--consumerGroup=" + LocalStack.CONSUMER_GROUP
            },
            new PrintStream(audit, true, StandardCharsets.UTF_8));
    stack.stop().run();
    int code =
        new RunReport(
                out,
                LocalStack.TOPICS,
                stack.hourly(),
                stack.generator().eventsSent(),
                stack.runStart(),
                stack.generator().startedNanos(),
                stack.generator().finishedNanos())
            .print(wanted, offsetsBefore, offsetsAfter, stack.warehouse(), seconds, peakKb);
    out.print(audit.toString(StandardCharsets.UTF_8));
    boolean ok = code == 0 && audited == 0;
    out.println(
        "streamify local: "
            + (ok ? "OK" : "FAILED")
            + "; dashboard: streamify dashboard"
            + " --warehouse="
            + stack.warehouse());
    return ok ? 0 : 1;
  }

  /** Each topic's end offsets summed over its partitions (0 for a topic not yet created). */
  static Map<String, Long> endOffsets(LocalKafka kafka) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      return KafkaOffsets.endOffsets(admin, LocalStack.TOPICS);
    }
  }
}
