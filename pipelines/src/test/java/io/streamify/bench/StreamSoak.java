package io.streamify.bench;

import io.streamify.events.LakeTable;
import io.streamify.kafka.LocalKafka;
import io.streamify.local.KafkaOffsets;
import io.streamify.stream.ParseKafkaRecords;
import io.streamify.stream.StreamPipeline;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A long stream run, printed, not asserted: the generator (a child JVM, accelerated mode) feeds a
 * local broker while the stream pipeline runs on the DirectRunner in this JVM. Every minute it
 * prints the rates produced, read and written, the backlog (produced but not yet in the lake) and
 * the heap (in use, and live after the last old-generation collection). Usage: StreamSoak minutes
 * users speed [extra pipeline args...].
 */
public final class StreamSoak {
  private static final String PREFIX = "soak.";

  public static void main(String[] args) throws Exception {
    int minutes = Integer.parseInt(args[0]);
    int users = Integer.parseInt(args[1]);
    int speed = Integer.parseInt(args[2]);
    List<String> extra = List.of(args).subList(3, args.length);
    Path work = Files.createTempDirectory("streamify-soak");
    Process generator = null;
    try (LocalKafka kafka = LocalKafka.start(0, work.resolve("kafka"), 4)) {
      generator =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx6g",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "io.streamify.generator.GeneratorCli",
                  "-q",
                  "-n",
                  "" + users,
                  "--mode",
                  "accelerated",
                  "--speed",
                  "" + speed,
                  "--sink",
                  "kafka",
                  "-b",
                  kafka.bootstrapServers(),
                  "--topic-prefix",
                  PREFIX,
                  "--partitions",
                  "4")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      Properties ap = new Properties();
      ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (Admin admin = Admin.create(ap)) {
        Set<String> topics =
            Arrays.stream(LakeTable.values())
                .filter(LakeTable::isEvent)
                .map(t -> PREFIX + t.tableName())
                .collect(Collectors.toSet());
        while (!admin.listTopics().names().get().containsAll(topics)) {
          Thread.sleep(200);
        }
        List<String> a =
            new ArrayList<>(
                List.of(
                    "--runner=DirectRunner",
                    "--blockOnRun=false",
                    "--bootstrapServers=" + kafka.bootstrapServers(),
                    "--topicPrefix=" + PREFIX,
                    "--consumerGroup=soak",
                    "--lake=" + work.resolve("lake")));
        a.addAll(extra);
        Pipeline p = StreamPipeline.pipeline(StreamPipeline.options(a.toArray(String[]::new)));
        HeapSampler heap = new HeapSampler();
        heap.start();
        long t0 = System.nanoTime();
        PipelineResult r = p.run();
        System.out.println(
            "minute  produced/s  read/s  written/s  backlog  heap-used-MiB"
                + "  live-after-GC-MiB");
        long[] last = {0, 0, 0};
        long peakBacklog = 0;
        for (int m = 1; m <= minutes; m++) {
          Thread.sleep(Math.max(0, t0 + m * 60_000_000_000L - System.nanoTime()) / 1_000_000);
          long produced = produced(admin, topics);
          long read = counter(r, "_read");
          long written = counter(r, "_written");
          peakBacklog = Math.max(peakBacklog, produced - written);
          System.out.printf(
              Locale.ROOT,
              "%6d %11.0f %7.0f %10.0f %8d %14d %18d%n",
              m,
              (produced - last[0]) / 60.0,
              (read - last[1]) / 60.0,
              (written - last[2]) / 60.0,
              produced - written,
              heapUsed() >> 20,
              liveAfterGc() >> 20);
          last = new long[] {produced, read, written};
          if (r.getState().isTerminal()) {
            throw new IllegalStateException("the pipeline stopped: " + r.getState());
          }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "%d min: %,d events produced, %,d written (%,.0f/s),"
                + " peak backlog %,d events, peak heap used %,d MiB of %,d MiB%n",
            minutes,
            last[0],
            last[2],
            last[2] / seconds,
            peakBacklog,
            heap.peakMiB(),
            Runtime.getRuntime().maxMemory() >> 20);
        r.cancel();
      }
    } finally {
      if (generator != null) {
        generator.destroy();
        generator.waitFor();
      }
      StreamBenchmark.deleteRecursively(work);
    }
    System.exit(0);
  }

  private static long produced(Admin admin, Set<String> topics) throws Exception {
    return KafkaOffsets.endOffsets(admin, topics).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  private static long counter(PipelineResult r, String suffix) {
    long total = 0;
    for (MetricResult<Long> m :
        r.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(ParseKafkaRecords.METRICS))
                    .build())
            .getCounters()) {
      String name = m.getName().getName();
      if (name.endsWith(suffix) && !name.startsWith("deadletter")) {
        total += m.getAttempted();
      }
    }
    return total;
  }

  private static long heapUsed() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        used += pool.getUsage().getUsed();
      }
    }
    return used;
  }

  /** What the old generation held after its last collection: the live set, roughly. */
  private static long liveAfterGc() {
    long live = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP
          && pool.getName().contains("Old")
          && pool.getCollectionUsage() != null) {
        live += pool.getCollectionUsage().getUsed();
      }
    }
    return live;
  }
}
