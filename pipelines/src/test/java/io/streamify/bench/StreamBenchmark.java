package io.streamify.bench;

import io.streamify.events.EventParser;
import io.streamify.events.InvalidEventException;
import io.streamify.events.LakeTable;
import io.streamify.generator.GeneratorCli;
import io.streamify.kafka.LocalKafka;
import io.streamify.lake.LakeLayout;
import io.streamify.stream.ParseKafkaRecords;
import io.streamify.stream.StreamPipeline;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.TimeUnit;
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

  /** Java 17's module openings Spark needs (its launcher adds the same). */
  static final List<String> SPARK_OPENS =
      List.of(
          "-XX:+IgnoreUnrecognizedVMOptions",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
          "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
          "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED");

  /**
   * Usage: StreamBenchmark [users] [hours] [extra pipeline args...], or (a contender in its own
   * JVM) StreamBenchmark --contender consumer|pipeline BOOTSTRAP FOLDER TOTAL [extra...]. The Spark
   * peer runs when the system property {@code streamify.sparkPeer} holds its classpath.
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--contender")) {
      contender(args);
      System.exit(0);
    }
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int hours = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    List<String> extra =
        new ArrayList<>(List.of(args).subList(Math.min(2, args.length), args.length));
    String sparkPeer = System.getProperty("streamify.sparkPeer", "");
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
          "events in Kafka: %,d %s (generated in %.1f s); each contender reads them all in a"
              + " fresh JVM (-Xmx2g) and writes hour-partitioned Parquet%n",
          total,
          counts,
          (System.nanoTime() - t0) / 1e9);
      String bootstrap = kafka.bootstrapServers();
      String cp = System.getProperty("java.class.path");
      List<String> ours = new ArrayList<>(List.of("-Xmx2g"));
      // e.g. -Dstreamify.contenderJvm=-XX:StartFlightRecording=filename=/tmp/c.jfr to profile
      String more = System.getProperty("streamify.contenderJvm", "");
      if (!more.isBlank()) {
        ours.addAll(List.of(more.trim().split("\\s+")));
      }
      ours.addAll(List.of("-cp", cp, StreamBenchmark.class.getName()));

      Contender consumer =
          Contender.run(
              ours,
              List.of(
                  "--contender", "consumer", bootstrap, work.resolve("consumer") + "", total + ""));
      System.out.printf(
          Locale.ROOT,
          "plain KafkaConsumer + parse + Parquet: %,.0f events/s, peak memory %,d MiB%n",
          consumer.rate(),
          consumer.peakMib());

      List<String> pipelineArgs =
          new ArrayList<>(
              List.of("--contender", "pipeline", bootstrap, work.resolve("lake") + "", total + ""));
      pipelineArgs.addAll(extra);
      Contender beam = Contender.run(ours, pipelineArgs);
      System.out.printf(
          Locale.ROOT,
          "Beam stream pipeline (DirectRunner %s): %,.0f events/s, %.0f%% of the plain consumer,"
              + " peak memory %,d MiB%n",
          extra,
          beam.rate(),
          100 * beam.rate() / consumer.rate(),
          beam.peakMib());

      if (sparkPeer.isEmpty()) {
        System.out.println(
            "Spark peer: not run (benchmarks/stream.sh builds it and passes -Dstreamify.sparkPeer)");
      } else {
        List<String> spark = new ArrayList<>(SPARK_OPENS);
        spark.addAll(
            List.of(
                "-Xmx2g",
                "-Duser.timezone=UTC",
                "-cp",
                sparkPeer,
                "io.streamify.bench.spark.SeedStreamingJob"));
        Contender seed =
            Contender.run(
                spark, List.of(bootstrap, PREFIX, work.resolve("spark") + "", "local[2]"));
        System.out.printf(
            Locale.ROOT,
            "seed's Spark Structured Streaming job (Spark 4.1, local[2], Trigger.AvailableNow):"
                + " %,.0f events/s (%,d rows written%s), %.1f s from JVM start, peak memory %,d"
                + " MiB%n",
            seed.rate(),
            seed.rows(),
            seed.rows() == total ? "" : ", NOT the " + total + " in Kafka",
            seed.wall(),
            seed.peakMib());
        System.out.printf(
            Locale.ROOT,
            "ratios: Beam pipeline / Spark job %.2fx; Beam pipeline / plain consumer %.2f;"
                + " Spark job / plain consumer %.2f%n",
            beam.rate() / seed.rate(),
            beam.rate() / consumer.rate(),
            seed.rate() / consumer.rate());
      }
    } finally {
      deleteRecursively(work);
    }
    System.exit(0);
  }

  /**
   * A contender's run in a fresh JVM: its rate (events/s over the time it measured itself: from the
   * start of reading to the last event written), rows, wall seconds from JVM start, peak memory.
   */
  record Contender(double rate, long rows, double wall, long peakMib) {
    static Contender run(List<String> jvm, List<String> args) throws Exception {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvm);
      cmd.addAll(args);
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      List<String> lines = new ArrayList<>();
      Thread reader =
          new Thread(
              () -> {
                try (var r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    synchronized (lines) {
                      lines.add(line);
                    }
                  }
                } catch (IOException e) {
                  // the process went away
                }
              });
      reader.start();
      long peakKib = 0;
      while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
        peakKib = Math.max(peakKib, HourlyBenchmark.peakRssKib(p.pid()));
      }
      reader.join();
      if (p.exitValue() != 0) {
        throw new IllegalStateException("contender exited " + p.exitValue() + ": " + cmd);
      }
      for (String line : lines) {
        // "… rows=N seconds=S wall=W"
        if (line.contains("rows=") && line.contains("seconds=")) {
          Map<String, String> kv = new HashMap<>();
          for (String part : line.split("\\s+")) {
            String[] x = part.split("=", 2);
            if (x.length == 2) {
              kv.put(x[0], x[1]);
            }
          }
          long rows = Long.parseLong(kv.get("rows"));
          double seconds = Double.parseDouble(kv.get("seconds"));
          return new Contender(
              rows / seconds, rows, Double.parseDouble(kv.get("wall")), peakKib / 1024);
        }
      }
      throw new IllegalStateException("no result line from " + cmd + ": " + lines);
    }
  }

  /** One contender, in this JVM: reads every event and prints "rows=N seconds=S wall=W". */
  static void contender(String[] args) throws Exception {
    String kind = args[1];
    String bootstrap = args[2];
    Path folder = Path.of(args[3]);
    long total = Long.parseLong(args[4]);
    List<String> extra = List.of(args).subList(5, args.length);
    double seconds =
        kind.equals("consumer")
            ? baseline(bootstrap, folder, total)
            : pipeline(bootstrap, folder, total, extra);
    double wall =
        (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
    System.out.printf(
        Locale.ROOT, "%s rows=%d seconds=%.3f wall=%.3f%n", kind, total, seconds, wall);
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

  /**
   * A hand-written consumer doing the same work without Beam, the ceiling to compare with: the
   * seconds it took to write all {@code total} events.
   */
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
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * The pipeline as streamify stream launches it: the seconds until all {@code total} are in the
   * lake.
   */
  static double pipeline(String bootstrap, Path lake, long total, List<String> extra)
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
    return seconds;
  }

  static void deleteRecursively(Path p) throws Exception {
    if (Files.exists(p)) {
      try (var s = Files.walk(p)) {
        s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
