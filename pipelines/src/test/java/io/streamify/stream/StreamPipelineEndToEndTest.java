package io.streamify.stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamify.events.LakeTable;
import io.streamify.generator.GeneratorCli;
import io.streamify.hourly.HourlyPipelineTest;
import io.streamify.kafka.LocalKafka;
import io.streamify.lake.Hours;
import io.streamify.lake.LakeLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.joda.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generator writes three simulated hours to a real Kafka broker (four topics, three partitions
 * each); the stream pipeline on the DirectRunner writes the lake; the Parquet read back holds
 * exactly the generator's events, each in the partition of its hour.
 */
class StreamPipelineEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static LocalKafka kafka;

  // A broker per test: the DirectRunner does not close the Kafka readers of a cancelled pipeline,
  // and their consumers must not load the broker the next test uses.
  @BeforeEach
  void startKafka() throws Exception {
    kafka = LocalKafka.start();
  }

  @AfterEach
  void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  static void generate(Path files, String prefix, String... args) {
    List<String> common = new ArrayList<>(List.of(args));
    common.add("-q");
    List<String> toKafka = new ArrayList<>(common);
    toKafka.addAll(
        List.of(
            "--sink",
            "kafka",
            "-b",
            kafka.bootstrapServers(),
            "--partitions",
            "3",
            "--topic-prefix",
            prefix));
    List<String> toFiles = new ArrayList<>(common);
    toFiles.addAll(List.of("-o", files.toString()));
    for (List<String> a : List.of(toKafka, toFiles)) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = GeneratorCli.run(a.toArray(String[]::new), new PrintStream(err, true));
      assertThat(err.toString(StandardCharsets.UTF_8), code, is(0));
    }
  }

  static StreamPipeline.Options options(Path lake, String prefix, String group, String launch) {
    return options(lake, prefix, group, launch, "auto");
  }

  static StreamPipeline.Options options(
      Path lake, String prefix, String group, String launch, String reader) {
    // The launch streamify stream makes, with the DirectRunner's checks on, as tests want them.
    return StreamPipeline.options(
        "--kafkaReader=" + reader,
        "--runner=DirectRunner",
        "--blockOnRun=false",
        "--bootstrapServers=" + kafka.bootstrapServers(),
        "--topicPrefix=" + prefix,
        "--consumerGroup=" + group,
        "--lake=" + lake,
        "--launchId=" + launch,
        "--lateFiringDelaySeconds=1",
        "--targetParallelism=2",
        "--enforceEncodability=true",
        "--enforceImmutability=true");
  }

  static PipelineResult start(StreamPipeline.Options o) {
    return StreamPipeline.pipeline(o).run();
  }

  static long counter(PipelineResult r, String name) {
    long total = 0;
    for (MetricResult<Long> c :
        r.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(ParseKafkaRecords.METRICS, name))
                    .build())
            .getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  /** Waits until the pipeline has written {@code expected} records of every table. */
  static void awaitWritten(PipelineResult r, Map<LakeTable, Integer> expected) throws Exception {
    // arrival files and dead letters wait for their arrival window to end on the wall clock
    long deadline = System.currentTimeMillis() + 180_000;
    while (true) {
      boolean done = true;
      for (Map.Entry<LakeTable, Integer> e : expected.entrySet()) {
        done &= counter(r, e.getKey().tableName() + "_written") >= e.getValue();
      }
      if (done) {
        return;
      }
      try {
        // rethrows what failed the pipeline (getState() would only say FAILED)
        r.waitUntilFinish(Duration.millis(1));
      } catch (RuntimeException e) {
        throw new AssertionError("the pipeline failed", e);
      }
      if (System.currentTimeMillis() > deadline) {
        StringBuilder got = new StringBuilder();
        for (LakeTable t : expected.keySet()) {
          got.append(t.tableName())
              .append(": written ")
              .append(counter(r, t.tableName() + "_written"))
              .append("; ");
        }
        throw new AssertionError(
            "not all written in time: expected "
                + expected
                + ", got "
                + got
                + " state "
                + r.getState());
      }
      Thread.sleep(250);
    }
  }

  static Map<LakeTable, List<JsonNode>> expected(Path files) throws Exception {
    Map<LakeTable, List<JsonNode>> out = new TreeMap<>();
    for (LakeTable t : LakeTable.values()) {
      if (!t.isEvent()) {
        continue;
      }
      List<JsonNode> events = new ArrayList<>();
      for (String line : Files.readAllLines(files.resolve(t.tableName() + ".jsonl"))) {
        events.add(JSON.readTree(line));
      }
      out.put(t, events);
    }
    return out;
  }

  /** A record as comparable text: every schema field, null where the JSON has no such key. */
  static String canonical(GenericRecord r) {
    StringBuilder sb = new StringBuilder();
    r.getSchema()
        .getFields()
        .forEach(
            f -> {
              if (LakeTable.isLedgerField(f.name())) {
                return; // where Kafka had it, not part of the event
              }
              Object v = r.get(f.pos());
              sb.append(f.name())
                  .append('=')
                  .append(v instanceof Utf8 ? v.toString() : v)
                  .append(';');
            });
    return sb.toString();
  }

  static String canonical(JsonNode e, LakeTable t) {
    StringBuilder sb = new StringBuilder();
    t.schema()
        .getFields()
        .forEach(
            f -> {
              if (LakeTable.isLedgerField(f.name())) {
                return;
              }
              JsonNode v = e.get(f.name());
              Object value =
                  v == null
                      ? null
                      : v.isTextual()
                          ? v.asText()
                          : v.isBoolean()
                              ? (Object) v.asBoolean()
                              : v.isIntegralNumber()
                                  ? (f.schema().toString().contains("\"int\"")
                                      ? (Object) v.asInt()
                                      : (Object) v.asLong())
                                  : (Object) v.asDouble();
              sb.append(f.name()).append('=').append(value).append(';');
            });
    return sb.toString();
  }

  @Test
  void aJobStoppedWithOpenWindowsLosesNothingWhenRestarted(@TempDir Path files, @TempDir Path lake)
      throws Exception {
    generate(
        files,
        "restart.",
        "-n",
        "600",
        "--seed",
        "8",
        "--start",
        "2026-11-23T10:00",
        "--end",
        "2026-11-23T11:00");
    Map<LakeTable, List<JsonNode>> expected = expected(files);
    Map<LakeTable, Integer> counts = new HashMap<>();
    expected.forEach((t, list) -> counts.put(t, list.size()));
    long total = counts.values().stream().mapToLong(Integer::longValue).sum();

    // The first launch keeps every window open (its watermark trails by ten days), reads every
    // record and is stopped without draining: it wrote nothing, so it must have committed nothing.
    StreamPipeline.Options first = options(lake, "restart.", "restart", "first");
    first.setMaxOutOfOrdernessSeconds(10 * 86_400);
    first.setKafkaProperties(List.of("max.poll.records=10")); // many polls, many checkpoints
    PipelineResult run1 = start(first);
    try {
      long deadline = System.currentTimeMillis() + 120_000;
      while (readTotal(run1, "restart.") < total) {
        assertThat(
            "first launch read everything: read " + readTotal(run1, "restart.") + " of " + total,
            System.currentTimeMillis() < deadline,
            is(true));
        Thread.sleep(250);
      }
      Thread.sleep(3000); // time for any (wrong) commit to land
    } finally {
      run1.cancel();
      run1.waitUntilFinish(Duration.standardSeconds(30));
    }
    assertThat(LakeFiles.files(lake, LakeTable.PAGE_VIEW_EVENTS).size(), is(0));
    assertThat(
        "nothing written, nothing committed: " + committedSummary("restart"),
        committedRecords("restart"),
        is(0L));

    // Relaunched, without any rewind: it reads from the group's offsets, i.e. from the start.
    StreamPipeline.Options second = options(lake, "restart.", "restart", "second");
    StreamPipeline.prepareConsumerGroup(second);
    PipelineResult run2 = start(second);
    try {
      awaitWritten(run2, counts);
      // once written, committed: every offset, to the end of every partition
      long deadline = System.currentTimeMillis() + 120_000;
      while (committedRecords("restart") < total) {
        assertThat(
            "all committed: " + committedSummary("restart"),
            System.currentTimeMillis() < deadline,
            is(true));
        Thread.sleep(250);
      }
    } finally {
      run2.cancel();
    }
    for (LakeTable t : expected.keySet()) {
      Map<String, Integer> want = new TreeMap<>();
      expected.get(t).forEach(e -> want.merge(canonical(e, t), 1, Integer::sum));
      Map<String, Integer> got = new TreeMap<>();
      LakeFiles.read(lake, t).forEach(r -> got.merge(canonical(r.record()), 1, Integer::sum));
      assertThat(t.tableName(), got, equalTo(want));
    }
  }

  static long readTotal(PipelineResult r, String prefix) {
    long n = 0;
    for (LakeTable t : LakeTable.values()) {
      if (t.isEvent()) {
        n += counter(r, prefix + t.tableName() + "_read");
      }
    }
    return n;
  }

  static String committedSummary(String group) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().toString();
    }
  }

  /** How many records the group has committed, over all partitions. */
  static long committedRecords(String group) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      return admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get()
          .values()
          .stream()
          .mapToLong(o -> o == null ? 0 : o.offset())
          .sum();
    }
  }

  @Test
  void anIdleTopicDoesNotHoldBackTheWindowsOfTheOthers(@TempDir Path files, @TempDir Path lake)
      throws Exception {
    // status_change_events exists (four partitions) but never gets a record.
    Properties props = new Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      admin
          .createTopics(List.of(new NewTopic("idle.status_change_events", 4, (short) 1)))
          .all()
          .get();
    }
    generate(
        files,
        "idle.",
        "-n",
        "800",
        "--seed",
        "4",
        "--start",
        "2026-11-23T08:00",
        "--end",
        "2026-11-23T09:00",
        "--topics",
        "listen_events,page_view_events,auth_events");
    Map<LakeTable, Integer> counts = new HashMap<>();
    for (LakeTable t :
        List.of(LakeTable.LISTEN_EVENTS, LakeTable.PAGE_VIEW_EVENTS, LakeTable.AUTH_EVENTS)) {
      counts.put(t, Files.readAllLines(files.resolve(t.tableName() + ".jsonl")).size());
    }
    PipelineResult run = start(options(lake, "idle.", "idle", "idle1"));
    try {
      awaitWritten(run, counts);
    } finally {
      run.cancel();
    }
    assertThat(
        LakeFiles.read(lake, LakeTable.PAGE_VIEW_EVENTS).size(),
        is(counts.get(LakeTable.PAGE_VIEW_EVENTS)));
    assertThat(LakeFiles.files(lake, LakeTable.STATUS_CHANGE_EVENTS).size(), is(0));
  }

  /** Both reads: the DirectRunner's poll batches and KafkaIO, the read Dataflow runs. */
  @ParameterizedTest
  @ValueSource(strings = {"batched", "kafkaio"})
  void lakeHoldsExactlyTheGeneratedEventsInTheirHourPartitions(
      String reader, @TempDir Path files, @TempDir Path lake) throws Exception {
    generate(
        files,
        "e2e.",
        "-n",
        "1500",
        "--growth-rate",
        "30",
        "--seed",
        "21",
        "--start",
        "2026-11-23T10:00",
        "--end",
        "2026-11-23T13:00");
    Map<LakeTable, List<JsonNode>> expected = expected(files);
    Map<LakeTable, Integer> counts = new HashMap<>();
    expected.forEach((t, list) -> counts.put(t, list.size()));
    assertThat(counts.get(LakeTable.STATUS_CHANGE_EVENTS), greaterThan(0));

    PipelineResult run = start(options(lake, "e2e.", "e2e", "launch1", reader));
    try {
      awaitWritten(run, counts);
    } finally {
      run.cancel();
    }
    assertThat(counter(run, "deadletter_" + "not_json"), is(0L));
    assertThat(LakeFiles.files(lake, LakeTable.DEADLETTER).size(), is(0));

    for (LakeTable t : expected.keySet()) {
      // Per hour: the multiset of records in the lake equals the generator's.
      Map<String, Map<String, Integer>> want = new TreeMap<>();
      for (JsonNode e : expected.get(t)) {
        want.computeIfAbsent(LakeLayout.hourPartition(e.get("ts").asLong()), h -> new TreeMap<>())
            .merge(canonical(e, t), 1, Integer::sum);
      }
      Map<String, Map<String, Integer>> got = new TreeMap<>();
      for (LakeFiles.Row row : LakeFiles.read(lake, t)) {
        long ts = (Long) row.record().get("ts");
        String hour = LakeLayout.hourPartition(ts);
        // Every file sits in the partition of its records' hour.
        assertThat(
            row.file().toString(),
            lake.relativize(row.file()).toString(),
            matchesPattern(
                t.folder()
                    + "/"
                    + hour
                    + "/[0-9T]+Z-[0-9T]+Z-pane-0-launch1-[0-9a-f]{4}-0-of-1\\.parquet"));
        got.computeIfAbsent(hour, h -> new TreeMap<>())
            .merge(canonical(row.record()), 1, Integer::sum);
      }
      assertThat(t.tableName() + " hours", got.keySet(), equalTo(want.keySet()));
      for (String hour : want.keySet()) {
        assertThat(t.tableName() + " " + hour, got.get(hour), equalTo(want.get(hour)));
      }
    }
    for (Iterator<Path> it = Files.walk(lake).iterator(); it.hasNext(); ) {
      Path p = it.next();
      assertThat(
          "no temporary file left: " + p,
          Files.isRegularFile(p) && p.toString().contains("_temporary"),
          is(false));
    }

    if (reader.equals("batched")) {
      // The hourly pipeline on this lake: facts per hour equal the generator's events per hour.
      Path db = files.resolve("warehouse.duckdb");
      HourlyPipelineTest.run(lake, db, "--fromHour=2026-11-23T10", "--hour=2026-11-23T12");
      Map<String, String> facts =
          Map.of(
              "listen_events",
              "fact_streams",
              "page_view_events",
              "fact_page_views",
              "auth_events",
              "fact_logins",
              "status_change_events",
              "fact_subscription_changes");
      for (LakeTable t : expected.keySet()) {
        Map<Long, Long> want = new TreeMap<>();
        for (JsonNode e : expected.get(t)) {
          want.merge(Hours.datetimeKey(e.get("ts").asLong()), 1L, Long::sum);
        }
        Map<Long, Long> got = new TreeMap<>();
        for (String row :
            HourlyPipelineTest.query(
                db,
                "SELECT datetime_key, count(*) FROM "
                    + facts.get(t.tableName())
                    + " GROUP BY ALL")) {
          String[] f = row.split(" \\| ");
          got.put(Long.parseLong(f[0]), Long.parseLong(f[1]));
        }
        assertThat(t.tableName() + " facts per hour", got, equalTo(want));
      }
    }
  }
}
