package io.streamify.stream;

import static io.streamify.stream.StreamPipelineEndToEndTest.canonical;
import static io.streamify.stream.StreamPipelineEndToEndTest.counter;
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
import io.streamify.hourly.HourlyPipelineTest;
import io.streamify.kafka.LocalKafka;
import io.streamify.lake.ClosedMarks;
import io.streamify.lake.LakeLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timing that used to lose records silently, through a real broker and the stream pipeline on the
 * DirectRunner: a replay after the pipeline went idle, an event dated tomorrow among good ones,
 * events and dead letters far behind the watermark. In each case the lake holds exactly what was
 * produced, and the ledger adds up: every Kafka offset of every partition is in the lake exactly
 * once, as an event row or a dead letter.
 */
class NothingLostEndToEndTest {
  static final String YESTERDAY = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
  LocalKafka kafka;

  @BeforeEach
  void startKafka() throws Exception {
    kafka = LocalKafka.start();
    StreamPipelineEndToEndTest.kafka = kafka; // its helpers produce to and read from this broker
  }

  @AfterEach
  void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** One-minute windows: arrival files wait for their window to end on the wall clock. */
  static StreamPipeline.Options quick(StreamPipeline.Options o) {
    o.setWindowMinutes(1);
    o.setMaxOutOfOrdernessSeconds(5);
    return o;
  }

  static Map<LakeTable, Integer> counts(Map<LakeTable, List<JsonNode>> events) {
    Map<LakeTable, Integer> counts = new HashMap<>();
    events.forEach((t, list) -> counts.put(t, list.size()));
    return counts;
  }

  static Map<LakeTable, Integer> plus(Map<LakeTable, Integer> a, Map<LakeTable, Integer> b) {
    Map<LakeTable, Integer> sum = new HashMap<>(a);
    b.forEach((t, n) -> sum.merge(t, n, Integer::sum));
    return sum;
  }

  static void await(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (!condition.call()) {
      assertThat("in time: " + what, System.currentTimeMillis() < deadline, is(true));
      Thread.sleep(250);
    }
  }

  /** The events of these tables in the lake, as canonical text → count, per table. */
  static Map<LakeTable, Map<String, Integer>> lake(Path lake, boolean arrivalFilesOnly) {
    Map<LakeTable, Map<String, Integer>> got = new TreeMap<>();
    for (LakeTable t : LakeTable.values()) {
      if (!t.isEvent()) {
        continue;
      }
      Map<String, Integer> rows = new TreeMap<>();
      for (LakeFiles.Row r : LakeFiles.read(lake, t)) {
        boolean arrival = r.file().getFileName().toString().startsWith(LakeLayout.ARRIVAL_PREFIX);
        if (!arrivalFilesOnly || arrival) {
          rows.merge(canonical(r.record()), 1, Integer::sum);
          // every file lies in the hour of its records
          assertThat(
              r.file().toString(),
              LakeLayout.hourOf(r.file().toString()),
              is(Math.floorDiv((Long) r.record().get("ts"), 3_600_000L) * 3_600_000L));
        }
      }
      got.put(t, rows);
    }
    return got;
  }

  static Map<LakeTable, Map<String, Integer>> want(List<Map<LakeTable, List<JsonNode>>> parts) {
    Map<LakeTable, Map<String, Integer>> want = new TreeMap<>();
    for (LakeTable t : LakeTable.values()) {
      if (t.isEvent()) {
        want.put(t, new TreeMap<>());
      }
    }
    for (Map<LakeTable, List<JsonNode>> part : parts) {
      part.forEach(
          (t, list) -> list.forEach(e -> want.get(t).merge(canonical(e, t), 1, Integer::sum)));
    }
    return want;
  }

  /**
   * The ledger: every record of every partition of the prefix's topics, as a read_committed
   * consumer reads them (every offset but transaction markers and aborted records), is in the lake
   * exactly once, as an event (its kafka_partition and kafka_offset) or a dead letter.
   */
  void assertLedgerComplete(Path lake, String prefix) throws Exception {
    Map<String, Integer> seen = new TreeMap<>();
    for (LakeTable t : LakeTable.values()) {
      for (LakeFiles.Row r : LakeFiles.read(lake, t)) {
        String at =
            t.isEvent()
                ? prefix
                    + t.tableName()
                    + "-"
                    + r.record().get(LakeTable.KAFKA_PARTITION)
                    + "@"
                    + r.record().get(LakeTable.KAFKA_OFFSET)
                : r.record().get("topic")
                    + "-"
                    + r.record().get("partition")
                    + "@"
                    + r.record().get("offset");
        seen.merge(at, 1, Integer::sum);
      }
    }
    Map<String, Integer> expected = new TreeMap<>();
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
      for (String topic : admin.listTopics().names().get()) {
        if (topic.startsWith(prefix)) {
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
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(specs).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
      Properties c = new Properties();
      c.put("bootstrap.servers", kafka.bootstrapServers());
      c.put("isolation.level", "read_committed");
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.assign(ends.keySet());
        consumer.seekToBeginning(ends.keySet());
        long deadline = System.currentTimeMillis() + 60_000;
        while (ends.entrySet().stream()
            .anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
          assertThat("Kafka read back in time", System.currentTimeMillis() < deadline, is(true));
          consumer
              .poll(Duration.ofMillis(500))
              .forEach(r -> expected.put(r.topic() + "-" + r.partition() + "@" + r.offset(), 1));
        }
      }
    }
    assertThat("every Kafka offset exactly once in the lake", seen, equalTo(expected));
  }

  @Test
  void aReplayAfterThePipelineWentIdleIsWrittenToItsOwnHours(
      @TempDir Path filesA, @TempDir Path filesB, @TempDir Path lake) throws Exception {
    generate(
        filesA,
        "replay.",
        "-n",
        "3000",
        "--seed",
        "5",
        "--start",
        YESTERDAY + "T14:00",
        "--end",
        YESTERDAY + "T15:00");
    Map<LakeTable, List<JsonNode>> a = expected(filesA);
    StreamPipeline.Options o = quick(options(lake, "replay.", "replay", "replay1"));
    o.setIdleTimeoutSeconds(2);
    PipelineResult run = start(o);
    try {
      StreamPipelineEndToEndTest.awaitWritten(run, counts(a));
      // Idle: the watermark follows the wall clock; the closed-through mark shows it passed the
      // launch. Every record of yesterday that comes now is behind it by hours.
      await(
          "the watermark passes the launch",
          () -> ClosedMarks.readClosedThrough(lake.toString()).isPresent());
      generate(
          filesB,
          "replay.",
          "-n",
          "3000",
          "--seed",
          "5",
          "--start",
          YESTERDAY + "T15:00",
          "--end",
          YESTERDAY + "T16:00",
          "--first-session-id",
          "50000000");
      Map<LakeTable, List<JsonNode>> b = expected(filesB);
      StreamPipelineEndToEndTest.awaitWritten(run, plus(counts(a), counts(b)));
      long replayed = counts(b).values().stream().mapToLong(Integer::longValue).sum();
      long beyond = 0;
      for (LakeTable t : b.keySet()) {
        beyond += counter(run, "replay." + t.tableName() + "_beyond_lateness");
      }
      assertThat("the whole replay went to arrival files", beyond, is(replayed));
      assertThat(lake(lake, false), equalTo(want(List.of(a, b))));
      assertThat(lake(lake, true), equalTo(want(List.of(b))));
      assertThat(LakeFiles.files(lake, LakeTable.DEADLETTER).size(), is(0));
      // both hours are marked closed, hour 15 by its arrival files
      long h15 = Instant.parse(YESTERDAY + "T15:00:00Z").toEpochMilli();
      await("hour 15 marked", () -> ClosedMarks.allHourMarks(lake.toString()).containsKey(h15));
      assertLedgerComplete(lake, "replay.");

      // Both hours into a warehouse; the audit then accounts for every record, offset by offset
      Path db = filesA.resolve("warehouse.duckdb");
      HourlyPipelineTest.run(
          lake, db, "--fromHour=" + YESTERDAY + "T14", "--hour=" + YESTERDAY + "T15");
      String[] audit = audit(lake, db, "replay.");
      assertThat(audit[1], audit[0], is("0"));
      assertThat(audit[1], containsString("every record accounted for"));
      // a lost file is a named gap: its offsets, and its hour changed after the load
      Path lost =
          LakeFiles.files(lake, LakeTable.LISTEN_EVENTS).stream()
              .filter(f -> f.getFileName().toString().startsWith(LakeLayout.ARRIVAL_PREFIX))
              .findFirst()
              .orElseThrow();
      long rows =
          LakeFiles.read(lake, LakeTable.LISTEN_EVENTS).stream()
              .filter(r -> r.file().equals(lost))
              .count();
      Files.delete(lost);
      audit = audit(lake, db, "replay.");
      assertThat(audit[1], audit[0], is("1"));
      assertThat(audit[1], containsString(" in Kafka but not in the lake"));
      assertThat(audit[1], containsString("listen_events: the lake changed after its load"));
      assertThat(audit[1], rows > 0, is(true));
      // a wrong prefix is no excuse: the lake's rows came from topics Kafka does not have
      audit = audit(lake, db, "prod_");
      assertThat(audit[1], audit[0], is("1"));
      assertThat(audit[1], containsString("topic prod_listen_events is not at"));
    } finally {
      run.cancel();
    }
  }

  String[] audit(Path lake, Path warehouse, String prefix) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        Audit.run(
            new String[] {
              "--lake=" + lake,
              "--warehouse=" + warehouse,
              "--bootstrapServers=" + kafka.bootstrapServers(),
              "--topicPrefix=" + prefix
            },
            new PrintStream(out, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    return new String[] {Integer.toString(code), text};
  }

  @Test
  void anEventDatedTomorrowIsADeadLetterAndMovesNoWatermark(
      @TempDir Path filesA, @TempDir Path filesB, @TempDir Path lake) throws Exception {
    generate(
        filesA,
        "future.",
        "-n",
        "2000",
        "--seed",
        "6",
        "--start",
        YESTERDAY + "T14:00",
        "--end",
        YESTERDAY + "T14:30");
    long tomorrow = System.currentTimeMillis() + 86_400_000L;
    String future =
        "{\"artist\":\"A\",\"song\":\"S\",\"duration\":200.5,\"ts\":"
            + tomorrow
            + ",\"sessionId\":99000000,\"auth\":\"Logged In\",\"level\":\"free\",\"itemInSession\":0,"
            + "\"city\":\"Tampa\",\"zip\":\"33602\",\"state\":\"FL\",\"userAgent\":\"M\",\"lon\":-82.4,"
            + "\"lat\":27.9,\"userId\":12,\"lastName\":\"L\",\"firstName\":\"F\",\"gender\":\"F\","
            + "\"registration\":1700000000000}";
    produce("future.listen_events", 0, future);
    generate(
        filesB,
        "future.",
        "-n",
        "2000",
        "--seed",
        "6",
        "--start",
        YESTERDAY + "T14:30",
        "--end",
        YESTERDAY + "T15:00",
        "--first-session-id",
        "50000000");
    Map<LakeTable, List<JsonNode>> a = expected(filesA);
    Map<LakeTable, List<JsonNode>> b = expected(filesB);
    PipelineResult run = start(quick(options(lake, "future.", "future", "future1")));
    try {
      StreamPipelineEndToEndTest.awaitWritten(run, plus(counts(a), counts(b)));
      await("the dead letter", () -> counter(run, "deadletter_written") == 1);
      assertThat(counter(run, "deadletter_ts_in_future"), is(1L));
      // every good event on time, in its window: none was pushed behind a runaway watermark
      assertThat(lake(lake, false), equalTo(want(List.of(a, b))));
      assertThat(lake(lake, true).values().stream().mapToInt(Map::size).sum(), is(0));
      List<LakeFiles.Row> dead = LakeFiles.read(lake, LakeTable.DEADLETTER);
      assertThat(dead.size(), is(1));
      assertThat(
          StandardCharsets.UTF_8
              .decode((ByteBuffer) dead.get(0).record().get("payload"))
              .toString(),
          is(future));
      assertThat(
          ClosedMarks.allHourMarks(lake.toString()).keySet().stream()
              .allMatch(h -> h < System.currentTimeMillis()),
          is(true));
      assertLedgerComplete(lake, "future.");
    } finally {
      run.cancel();
    }
  }

  @Test
  void eventsAndDeadLettersFarBehindTheWatermarkAreWrittenNotDropped(
      @TempDir Path files, @TempDir Path lake) throws Exception {
    generate(
        files,
        "behind.",
        "-n",
        "2000",
        "--seed",
        "7",
        "--start",
        YESTERDAY + "T14:00",
        "--end",
        YESTERDAY + "T15:00");
    Map<LakeTable, List<JsonNode>> generated = expected(files);
    StreamPipeline.Options o = quick(options(lake, "behind.", "behind", "behind1"));
    o.setAllowedLatenessMinutes(5);
    o.setIdleTimeoutSeconds(2);
    PipelineResult run = start(o);
    try {
      StreamPipelineEndToEndTest.awaitWritten(run, counts(generated));
      await(
          "the watermark passes the launch",
          () -> ClosedMarks.readClosedThrough(lake.toString()).isPresent());
      // Now, far behind the watermark: an event of 12:10 yesterday, a dead letter whose ts is in
      // 2020 (it used to be windowed there and dropped), one without JSON, and a record with
      // neither key nor value (it used to fail the pipeline).
      long early = Instant.parse(YESTERDAY + "T12:10:00Z").toEpochMilli();
      String event =
          "{\"ts\":"
              + early
              + ",\"sessionId\":98000000,\"level\":\"paid\","
              + "\"itemInSession\":3,\"city\":\"Tampa\",\"zip\":\"33602\",\"state\":\"FL\","
              + "\"userAgent\":\"M\",\"lon\":-82.4,\"lat\":27.9,\"success\":true}";
      produce("behind.auth_events", 0, event);
      produce("behind.auth_events", 1, "{\"ts\":1590000000000,\"sessionId\":1}");
      produce("behind.auth_events", 2, "\u0000not json");
      produce("behind.listen_events", 0, null);
      StreamPipelineEndToEndTest.awaitWritten(
          run, plus(counts(generated), Map.of(LakeTable.AUTH_EVENTS, 1)));
      await("the dead letters", () -> counter(run, "deadletter_written") == 3);
      Map<LakeTable, Map<String, Integer>> arrived = lake(lake, true);
      assertThat(
          arrived.get(LakeTable.AUTH_EVENTS).keySet(),
          equalTo(
              Set.of(
                  canonical(
                      StreamPipelineEndToEndTest.JSON.readTree(event), LakeTable.AUTH_EVENTS))));
      assertThat(
          lake(lake, false),
          equalTo(
              plusEvent(
                  want(List.of(generated)),
                  LakeTable.AUTH_EVENTS,
                  canonical(
                      StreamPipelineEndToEndTest.JSON.readTree(event), LakeTable.AUTH_EVENTS))));
      TreeSet<String> reasons = new TreeSet<>();
      long launched = System.currentTimeMillis() - 600_000;
      for (LakeFiles.Row r : LakeFiles.read(lake, LakeTable.DEADLETTER)) {
        reasons.add(r.record().get("error").toString());
        // by arrival: the hour the watermark had reached (the wall clock), not 2020
        assertThat(
            r.file().toString(),
            LakeLayout.hourOf(r.file().toString()) >= launched - 3_600_000,
            is(true));
      }
      assertThat(
          reasons, equalTo(new TreeSet<>(List.of("empty_payload", "missing_field", "not_json"))));
      assertLedgerComplete(lake, "behind.");
    } finally {
      run.cancel();
    }
  }

  @Test
  void transactionsAreReadPastTheirMarkersAndAbortedRecordsAreNoEvents(
      @TempDir Path files, @TempDir Path lake) throws Exception {
    generate(
        files,
        "txn.",
        "-n",
        "300",
        "--seed",
        "8",
        "--start",
        YESTERDAY + "T14:00",
        "--end",
        YESTERDAY + "T14:30");
    Map<LakeTable, List<JsonNode>> generated = expected(files);
    TopicPartition p0 = new TopicPartition("txn.listen_events", 0);
    long start = endOffset(p0);
    // committed: 3 events + marker; aborted: 2 events + marker; committed: 2 events + marker
    List<String> committed = new ArrayList<>();
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("transactional.id", "streamify-test");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      int session = 97_000_000;
      for (int[] txn : new int[][] {{3, 1}, {2, 0}, {2, 1}}) {
        producer.beginTransaction();
        for (int i = 0; i < txn[0]; i++) {
          String e = listen(session++);
          producer.send(
              new ProducerRecord<>(p0.topic(), 0, null, e.getBytes(StandardCharsets.UTF_8)));
          if (txn[1] == 1) {
            committed.add(e);
          }
        }
        if (txn[1] == 1) {
          producer.commitTransaction();
        } else {
          producer.flush(); // the aborted records reach the log, between the markers
          producer.abortTransaction();
        }
      }
    }
    // and a record of a plain producer after the last marker: no marker is the partition's last
    String plain = listen(97_000_100);
    produce(p0.topic(), 0, plain);
    committed.add(plain);
    assertThat(endOffset(p0), is(start + 11));
    PipelineResult run = start(quick(options(lake, "txn.", "txn", "txn1")));
    try {
      StreamPipelineEndToEndTest.awaitWritten(
          run, plus(counts(generated), Map.of(LakeTable.LISTEN_EVENTS, 6)));
      // past the markers at start+3, start+6 and start+9 and the aborted records between them
      await("the commit passes the markers", () -> committedOffset("txn", p0) == start + 11);
      Map<LakeTable, Map<String, Integer>> want = want(List.of(generated));
      for (String e : committed) {
        plusEvent(
            want,
            LakeTable.LISTEN_EVENTS,
            canonical(StreamPipelineEndToEndTest.JSON.readTree(e), LakeTable.LISTEN_EVENTS));
      }
      assertThat(lake(lake, false), equalTo(want));
      assertThat(LakeFiles.files(lake, LakeTable.DEADLETTER).size(), is(0));
      assertLedgerComplete(lake, "txn.");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code =
          Audit.run(
              new String[] {
                "--lake=" + lake,
                "--bootstrapServers=" + kafka.bootstrapServers(),
                "--topicPrefix=txn."
              },
              new PrintStream(out, true, StandardCharsets.UTF_8));
      String text = out.toString(StandardCharsets.UTF_8);
      assertThat(text, code, is(0));
      // its listen_events: records (markers and aborted records not counted), all in the lake
      assertThat(
          text,
          containsString(
              String.format(
                  Locale.ROOT,
                  "  %-26s %,12d %,12d",
                  "txn.listen_events",
                  counts(generated).get(LakeTable.LISTEN_EVENTS) + 6,
                  counts(generated).get(LakeTable.LISTEN_EVENTS) + 6)));
    } finally {
      run.cancel();
    }
  }

  static String listen(int session) {
    long ts = Instant.parse(YESTERDAY + "T14:10:00Z").toEpochMilli() + session % 1000;
    return "{\"artist\":\"A\",\"song\":\"S\",\"duration\":200.5,\"ts\":"
        + ts
        + ",\"sessionId\":"
        + session
        + ",\"auth\":\"Logged In\",\"level\":\"free\","
        + "\"itemInSession\":0,\"city\":\"Tampa\",\"zip\":\"33602\",\"state\":\"FL\","
        + "\"userAgent\":\"M\",\"lon\":-82.4,\"lat\":27.9,\"userId\":12,\"lastName\":\"L\","
        + "\"firstName\":\"F\",\"gender\":\"F\",\"registration\":1700000000000}";
  }

  long endOffset(TopicPartition tp) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
    }
  }

  long committedOffset(String group, TopicPartition tp) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      var c = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
      return c == null ? -1 : c.offset();
    }
  }

  static Map<LakeTable, Map<String, Integer>> plusEvent(
      Map<LakeTable, Map<String, Integer>> m, LakeTable t, String event) {
    m.get(t).merge(event, 1, Integer::sum);
    return m;
  }

  @Test
  void topicsThatDoNotExistAreNamedBeforeTheJobStarts(@TempDir Path lake) throws Exception {
    produce("here.listen_events", 0, "{}");
    assertThat(
        StreamPipeline.missingTopics(options(lake, "here.", "g", "x")),
        equalTo(List.of("here.page_view_events", "here.auth_events", "here.status_change_events")));
  }

  void produce(String topic, int partition, String value) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  topic,
                  partition,
                  null,
                  value == null ? null : value.getBytes(StandardCharsets.UTF_8)))
          .get();
    }
  }
}
