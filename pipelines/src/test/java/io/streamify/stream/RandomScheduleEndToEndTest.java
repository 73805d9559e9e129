package io.streamify.stream;

import static io.streamify.stream.StreamPipelineEndToEndTest.canonical;
import static io.streamify.stream.StreamPipelineEndToEndTest.committedRecords;
import static io.streamify.stream.StreamPipelineEndToEndTest.expected;
import static io.streamify.stream.StreamPipelineEndToEndTest.generate;
import static io.streamify.stream.StreamPipelineEndToEndTest.options;
import static io.streamify.stream.StreamPipelineEndToEndTest.start;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamify.audit.Audit;
import io.streamify.events.LakeTable;
import io.streamify.hourly.HourlyCommand;
import io.streamify.hourly.HourlyPipelineTest;
import io.streamify.kafka.LocalKafka;
import io.streamify.lake.ClosedMarks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded random schedule against a real broker: batches of past events (yesterday, so they arrive
 * long behind the watermark), present ones and ones a few seconds ahead of the clock, bad records,
 * pauses longer than the idle timeout, and kills of the stream job (cancelled with open windows,
 * relaunched without any rewind). Then the hourly job catches up, and {@code streamify audit} must
 * account for every record produced: each offset in the lake, each closed hour in the warehouse,
 * exactly. The seed is {@code -Dstreamify.schedule.seed} (a fixed default, so a failure can be
 * replayed).
 */
class RandomScheduleEndToEndTest {
  static final long SEED = Long.getLong("streamify.schedule.seed", 20261129L);
  static final String PREFIX = "chaos.";
  static final long MINUTE = 60_000L;
  LocalKafka kafka;

  @BeforeEach
  void startKafka() throws Exception {
    kafka = LocalKafka.start();
    StreamPipelineEndToEndTest.kafka = kafka;
  }

  @AfterEach
  void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  StreamPipeline.Options launch(Path lake, int n) {
    StreamPipeline.Options o = options(lake, PREFIX, "chaos", "launch" + n);
    o.setWindowMinutes(1);
    o.setMaxOutOfOrdernessSeconds(5);
    o.setIdleTimeoutSeconds(2);
    o.setAllowedLatenessMinutes(5);
    // no rewind: offsets are committed only once written, so a killed job restarts at the first
    // record it had not written
    return o;
  }

  @Test
  void everyRecordOfARandomScheduleIsAccountedFor(@TempDir Path dir) throws Exception {
    Random rnd = new Random(SEED);
    Path lake = dir.resolve("lake");
    Path db = dir.resolve("warehouse.duckdb");
    Instant now = Instant.now();
    Instant yesterday = now.truncatedTo(ChronoUnit.HOURS).minus(30, ChronoUnit.HOURS);
    List<Map<LakeTable, List<JsonNode>>> produced = new ArrayList<>();
    List<String> log = new ArrayList<>();
    long badRecords = 0;

    // The topics exist before the first launch: a first batch of the past.
    produced.add(batch(dir, 0, yesterday, 20, log));
    int launches = 1;
    PipelineResult run = start(launch(lake, launches));
    String[] kinds = new String[8];
    for (int step = 0; step < kinds.length; step++) {
      double x = rnd.nextDouble();
      // at least one pause and one kill, wherever the dice put the rest
      kinds[step] =
          step == 2
              ? "pause"
              : step == 5
                  ? "kill"
                  : x < 0.3
                      ? "past"
                      : x < 0.5 ? "present" : x < 0.65 ? "future" : x < 0.85 ? "pause" : "kill";
    }
    for (int step = 0; step < kinds.length; step++) {
      switch (kinds[step]) {
        case "past" ->
            produced.add(
                batch(
                    dir,
                    step + 1,
                    yesterday
                        .plus(rnd.nextInt(20), ChronoUnit.HOURS)
                        .plus(rnd.nextInt(40), ChronoUnit.MINUTES),
                    10 + rnd.nextInt(20),
                    log));
        case "present" ->
            produced.add(
                batch(
                    dir,
                    step + 1,
                    Instant.now().minus(8 + rnd.nextInt(6), ChronoUnit.MINUTES),
                    6,
                    log));
        case "future" -> {
          // a few seconds ahead (accepted, and they move the watermark) and two hours ahead
          // (a dead letter, ts_in_future)
          long ahead = System.currentTimeMillis() + 10_000 + rnd.nextInt(30_000);
          produce(PREFIX + "auth_events", authEvent(900_000_000L + step, ahead));
          produce(
              PREFIX + "auth_events",
              authEvent(900_000_100L + step, System.currentTimeMillis() + 2 * 3_600_000L));
          badRecords++;
          log.add(
              "future: one at +"
                  + (ahead - System.currentTimeMillis()) / 1000
                  + " s, one"
                  + " at +2 h");
        }
        case "pause" -> {
          long ms = 3_000 + rnd.nextInt(4_000);
          log.add("pause " + ms + " ms");
          Thread.sleep(ms);
        }
        default -> {
          run.cancel();
          run.waitUntilFinish(Duration.standardSeconds(30));
          settleCommits();
          launches++;
          StreamPipeline.Options o = launch(lake, launches);
          StreamPipeline.prepareConsumerGroup(o);
          run = start(o);
          log.add("kill, relaunch " + launches);
        }
      }
      if (rnd.nextDouble() < 0.4) {
        produce(PREFIX + "listen_events", "{\"ts\":1590000000000}");
        produce(PREFIX + "page_view_events", "\u0000\u0001 not json");
        produce(PREFIX + "listen_events", null);
        badRecords += 3;
        log.add("3 bad records");
      }
    }
    System.out.println("schedule (seed " + SEED + "): " + log);

    // Every offset reaches the lake (the last windows fire as the watermark follows the clock).
    long deadline = System.currentTimeMillis() + 240_000;
    while (!allOffsetsInLake(lake)) {
      assertThat(
          "every offset in the lake in time; schedule " + log,
          System.currentTimeMillis() < deadline,
          is(true));
      Thread.sleep(1000);
    }
    // Nothing lost: every event produced is in the lake (some twice, after kills).
    Map<LakeTable, Set<String>> want = new TreeMap<>();
    for (Map<LakeTable, List<JsonNode>> batch : produced) {
      batch.forEach(
          (t, events) ->
              events.forEach(
                  e -> want.computeIfAbsent(t, x -> new TreeSet<>()).add(canonical(e, t))));
    }
    want.computeIfAbsent(LakeTable.AUTH_EVENTS, x -> new TreeSet<>());
    for (var e : want.entrySet()) {
      Set<String> got = new TreeSet<>();
      LakeFiles.read(lake, e.getKey()).forEach(r -> got.add(canonical(r.record())));
      assertThat(
          e.getKey() + ": every produced event in the lake",
          got.containsAll(e.getValue()),
          is(true));
    }

    // Marks settle (an arrival file's hour is marked again at the next watermark step), then the
    // stream job stops, so that no hour closes between the last load and the audit.
    String marks = "";
    for (int stable = 0; stable < 5; Thread.sleep(1000)) {
      String now2 = ClosedMarks.allHourMarks(lake.toString()).toString();
      stable = now2.equals(marks) ? stable + 1 : 0;
      marks = now2;
    }
    run.cancel();
    run.waitUntilFinish(Duration.standardSeconds(30));

    // The hourly job catches up (as the scheduler runs it) until nothing is left to load.
    for (int i = 0; i < 4; i++) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code =
          HourlyCommand.run(
              new String[] {"--runner=DirectRunner", "--lake=" + lake, "--warehouse=" + db},
              new PrintStream(err, true, StandardCharsets.UTF_8));
      String text = err.toString(StandardCharsets.UTF_8);
      assertThat(text, code, is(0));
      if (text.contains("nothing to load")) {
        break;
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        Audit.run(
            new String[] {
              "--lake=" + lake,
              "--warehouse=" + db,
              "--bootstrapServers=" + kafka.bootstrapServers(),
              "--topicPrefix=" + PREFIX,
              "--consumerGroup=chaos"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8));
    String audit = out.toString(StandardCharsets.UTF_8);
    System.out.print(audit);
    assertThat(audit, code, is(0));
    assertThat(audit, containsString("every record accounted for"));

    // Exactly: each closed hour's raw rows are the distinct events produced in it.
    Map<String, Long> closedRows = new TreeMap<>();
    Map<String, Long> wantRows = new TreeMap<>();
    Set<Long> marked = ClosedMarks.allHourMarks(lake.toString()).keySet();
    for (Map<LakeTable, List<JsonNode>> batch : produced) {
      batch.forEach(
          (t, events) ->
              events.forEach(
                  e -> {
                    long hour = Math.floorDiv(e.get("ts").asLong(), 3_600_000L) * 3_600_000L;
                    if (marked.contains(hour)) {
                      wantRows.merge(
                          t.tableName() + " " + Instant.ofEpochMilli(hour), 1L, Long::sum);
                    }
                  }));
    }
    for (String row :
        HourlyPipelineTest.query(
            db,
            "SELECT epoch_ms(date_trunc('hour', ts)),"
                + " count(*) FROM listen_events GROUP BY ALL")) {
      String[] f = row.split(" \\| ");
      long hour = Long.parseLong(f[0]);
      if (marked.contains(hour)) {
        closedRows.put("listen_events " + Instant.ofEpochMilli(hour), Long.parseLong(f[1]));
      }
    }
    Map<String, Long> wantListens = new TreeMap<>();
    wantRows.forEach(
        (k, v) -> {
          if (k.startsWith("listen_events")) {
            wantListens.put(k, v);
          }
        });
    assertThat(
        "closed hours' listens in the warehouse; schedule " + log,
        closedRows,
        equalTo(wantListens));
    assertThat(badRecords > 0, is(true));
  }

  /** Generated events of {@code minutes} from {@code start}, session ids of their own. */
  Map<LakeTable, List<JsonNode>> batch(
      Path dir, int n, Instant start, int minutes, List<String> log) throws Exception {
    Path files = Files.createDirectories(dir.resolve("batch" + n));
    Instant end = start.plus(minutes, ChronoUnit.MINUTES);
    generate(
        files,
        PREFIX,
        "-n",
        "400",
        "--seed",
        Long.toString(SEED + n),
        "--start",
        start.truncatedTo(ChronoUnit.SECONDS).toString(),
        "--end",
        end.truncatedTo(ChronoUnit.SECONDS).toString(),
        "--first-session-id",
        Long.toString(1 + n * 10_000_000L));
    Map<LakeTable, List<JsonNode>> events = expected(files);
    log.add(
        "batch "
            + n
            + " "
            + start.truncatedTo(ChronoUnit.MINUTES)
            + " +"
            + minutes
            + " min: "
            + events.values().stream().mapToInt(List::size).sum()
            + " events");
    return events;
  }

  static String authEvent(long session, long ts) {
    return "{\"ts\":"
        + ts
        + ",\"sessionId\":"
        + session
        + ",\"level\":\"free\","
        + "\"itemInSession\":0,\"city\":\"Tampa\",\"zip\":\"33602\",\"state\":\"FL\","
        + "\"userAgent\":\"M\",\"lon\":-82.4,\"lat\":27.9,\"success\":true}";
  }

  void produce(String topic, String value) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  topic, null, value == null ? null : value.getBytes(StandardCharsets.UTF_8)))
          .get();
    }
  }

  /** A cancelled DirectRunner read may still commit: wait until the group's offsets rest. */
  void settleCommits() throws Exception {
    long committed = -1;
    for (int stable = 0; stable < 3; Thread.sleep(1000)) {
      long c = committedRecords("chaos");
      stable = c == committed ? stable + 1 : 0;
      committed = c;
    }
  }

  /** Whether every offset of every chaos topic is in the lake (events or dead letters). */
  boolean allOffsetsInLake(Path lake) throws Exception {
    Set<String> seen = new HashSet<>();
    for (LakeTable t : LakeTable.values()) {
      for (LakeFiles.Row r : LakeFiles.read(lake, t)) {
        seen.add(
            t.isEvent()
                ? PREFIX
                    + t.tableName()
                    + "-"
                    + r.record().get(LakeTable.KAFKA_PARTITION)
                    + "@"
                    + r.record().get(LakeTable.KAFKA_OFFSET)
                : r.record().get("topic")
                    + "-"
                    + r.record().get("partition")
                    + "@"
                    + r.record().get("offset"));
      }
    }
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
      for (String topic : admin.listTopics().names().get()) {
        if (topic.startsWith(PREFIX)) {
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get()
              .get(topic)
              .partitions()
              .forEach(
                  i -> specs.put(new TopicPartition(topic, i.partition()), OffsetSpec.latest()));
        }
      }
      for (var e : admin.listOffsets(specs).all().get().entrySet()) {
        for (long o = 0; o < e.getValue().offset(); o++) {
          if (!seen.contains(e.getKey().topic() + "-" + e.getKey().partition() + "@" + o)) {
            return false;
          }
        }
      }
    }
    return true;
  }
}
