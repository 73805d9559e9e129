package io.streamify.bench;

import io.streamify.events.EventParser;
import io.streamify.events.InvalidEventException;
import io.streamify.events.LakeTable;
import io.streamify.generator.GeneratorCli;
import io.streamify.kafka.LocalKafka;
import io.streamify.lake.LakeLayout;
import io.streamify.stream.ParseKafkaRecords;
import io.streamify.stream.StreamPipeline;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Stream pipeline throughput on this machine, printed, not asserted. Fills a local broker with
 * generated events, then measures (1) a plain KafkaConsumer that parses with the same parser and
 * writes hour-partitioned Parquet, and (2) the Beam pipeline on the DirectRunner, until every event
 * is in the lake. Usage: StreamBenchmark [users] [hours] [extra pipeline args...]: the generated
 * period is the given hours from 2026-11-23T10:00 (Monday).
 */
public final class StreamBenchmark {
  private static final String PREFIX = "bench.";

  public static void main(String[] args) throws Exception {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 150_000;
    int hours = args.length > 1 ? Integer.parseInt(args[1]) : 24;
    List<String> extra =
        new ArrayList<>(List.of(args).subList(Math.min(2, args.length), args.length));
    Path work = Files.createTempDirectory("streamify-stream-bench");
    try (LocalKafka kafka = LocalKafka.start(0, work.resolve("kafka"), 4)) {
      long t0 = System.nanoTime();
      String end = Instant.parse("2026-11-23T10:00:00Z").plusSeconds(hours * 3600L).toString();
      int code =
          GeneratorCli.run(
              new String[] {
                "-q",
                "-n",
                "" + users,
                "--start",
                "2026-11-23T10:00",
                "--end",
                end,
                "--sink",
                "kafka",
                "-b",
                kafka.bootstrapServers(),
                "--topic-prefix",
                PREFIX,
                "--partitions",
                "4"
              },
              System.err);
      if (code != 0) {
        throw new IllegalStateException("generator failed");
      }
      Map<LakeTable, Long> counts = topicSizes(kafka.bootstrapServers());
      long total = counts.values().stream().mapToLong(Long::longValue).sum();
      System.out.printf(
          Locale.ROOT,
          "events in Kafka: %,d %s (generated in %.1f s)%n",
          total,
          counts,
          (System.nanoTime() - t0) / 1e9);

      double baseline = baseline(kafka.bootstrapServers(), work.resolve("baseline"), total);
      System.out.printf(
          Locale.ROOT, "plain KafkaConsumer + parse + Parquet: %,.0f events/s%n", baseline);

      HeapSampler heap = new HeapSampler();
      heap.start();
      double beam = pipeline(kafka.bootstrapServers(), work.resolve("lake"), counts, extra);
      heap.interrupt();
      System.out.printf(
          Locale.ROOT,
          "Beam stream pipeline (DirectRunner %s): %,.0f events/s,"
              + " %.0f%% of the plain consumer, peak heap used %,d MiB (max %,d MiB)%n",
          extra,
          beam,
          100 * beam / baseline,
          heap.peak.get() >> 20,
          Runtime.getRuntime().maxMemory() >> 20);
    } finally {
      deleteRecursively(work);
    }
    System.exit(0);
  }

  static Map<LakeTable, Long> topicSizes(String bootstrap) {
    Map<LakeTable, Long> out = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, "sizes")) {
      for (LakeTable t : LakeTable.values()) {
        if (!t.isEvent()) {
          continue;
        }
        List<TopicPartition> tps =
            c.partitionsFor(PREFIX + t.tableName()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        out.put(t, c.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum());
      }
    }
    return out;
  }

  static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** A hand-written consumer doing the same work without Beam: the ceiling to compare with. */
  static double baseline(String bootstrap, Path out, long total) throws Exception {
    EventParser parser = new EventParser();
    Map<String, ParquetWriter<GenericRecord>> writers = new HashMap<>();
    long n = 0;
    long t0 = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, "baseline")) {
      List<String> topics = new ArrayList<>();
      for (LakeTable t : LakeTable.values()) {
        if (t.isEvent()) {
          topics.add(PREFIX + t.tableName());
        }
      }
      c.subscribe(topics);
      while (n < total) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          n++;
          LakeTable table = LakeTable.forTopic(r.topic(), PREFIX).orElseThrow();
          try {
            GenericRecord rec = parser.parse(table, r.value());
            String dir = LakeLayout.partitionFolder(table, (Long) rec.get("ts"));
            ParquetWriter<GenericRecord> w = writers.get(dir);
            if (w == null) {
              Path file = out.resolve(dir).resolve("part.parquet");
              Files.createDirectories(file.getParent());
              w =
                  AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                      .withSchema(table.schema())
                      .withCompressionCodec(CompressionCodecName.SNAPPY)
                      .build();
              writers.put(dir, w);
            }
            w.write(rec);
          } catch (InvalidEventException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    for (ParquetWriter<GenericRecord> w : writers.values()) {
      w.close();
    }
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  static double pipeline(
      String bootstrap, Path lake, Map<LakeTable, Long> counts, List<String> extra)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runner=DirectRunner",
                "--blockOnRun=false",
                "--bootstrapServers=" + bootstrap,
                "--topicPrefix=" + PREFIX,
                "--consumerGroup=beam",
                "--lake=" + lake));
    args.addAll(extra);
    // The launch `streamify stream` makes (its DirectRunner defaults, unless the extra args say).
    Pipeline p = StreamPipeline.pipeline(StreamPipeline.options(args.toArray(String[]::new)));
    long t0 = System.nanoTime();
    PipelineResult r = p.run();
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    long lastReport = System.nanoTime();
    while (true) {
      long written = 0;
      for (MetricResult<Long> m :
          r.metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.inNamespace(ParseKafkaRecords.METRICS))
                      .build())
              .getCounters()) {
        if (m.getName().getName().endsWith("_written")) {
          written += m.getAttempted();
        }
      }
      if (written >= total) {
        break;
      }
      if (System.nanoTime() - lastReport > 5_000_000_000L) {
        lastReport = System.nanoTime();
        StringBuilder sb = new StringBuilder();
        for (MetricResult<Long> m :
            r.metrics()
                .queryMetrics(
                    MetricsFilter.builder()
                        .addNameFilter(MetricNameFilter.inNamespace(ParseKafkaRecords.METRICS))
                        .build())
                .getCounters()) {
          sb.append(m.getName().getName()).append('=').append(m.getAttempted()).append(' ');
        }
        System.err.printf(Locale.ROOT, "  %.0f s: %s%n", (System.nanoTime() - t0) / 1e9, sb);
      }
      if (r.getState().isTerminal()) {
        throw new IllegalStateException("the pipeline stopped: " + r.getState());
      }
      Thread.sleep(100);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    r.cancel();
    return total / seconds;
  }

  /** Samples the heap in use after collections, as the JVM reports it. */
  static final class HeapSampler extends Thread {
    final AtomicLong peak = new AtomicLong();

    HeapSampler() {
      setDaemon(true);
    }

    @Override
    public void run() {
      while (!isInterrupted()) {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
          if (pool.getType() == MemoryType.HEAP && pool.getUsage() != null) {
            used += pool.getUsage().getUsed();
          }
        }
        peak.accumulateAndGet(used, Math::max);
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  static void deleteRecursively(Path p) throws Exception {
    if (Files.exists(p)) {
      try (var s = Files.walk(p)) {
        s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
