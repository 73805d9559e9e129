package io.streamify.stream;

import io.streamify.events.AvroBytes;
import io.streamify.events.LakeTable;
import io.streamify.lake.LakeKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A bad-record corpus among valid records: each bad one ends in the dead letter with its reason,
 * topic, partition, offset and raw payload; the valid ones around them are unaffected; and the
 * counts reconcile: read = parsed + dead-lettered.
 */
class ParseKafkaRecordsTest {
  static final long TS = 1795438800000L; // 2026-11-23T13:00:00Z
  static final String VALID =
      "{\"ts\":"
          + TS
          + ",\"sessionId\":1,\"level\":\"free\","
          + "\"itemInSession\":%d,\"city\":\"Tampa\",\"zip\":\"33602\",\"state\":\"FL\","
          + "\"userAgent\":\"Mozilla/5.0\",\"lon\":-82.4572,\"lat\":27.9506,\"success\":false}";

  static KafkaRecord<byte[], byte[]> record(String topic, long offset, byte[] value) {
    return new KafkaRecord<>(
        topic,
        0,
        offset,
        TS + 5,
        KafkaTimestampType.CREATE_TIME,
        null,
        ("k" + offset).getBytes(StandardCharsets.UTF_8),
        value);
  }

  /** Two-minute windows, an hour of allowed lateness, events up to an hour ahead accepted. */
  static ParseKafkaRecords parse(int shards) {
    return new ParseKafkaRecords(
        "",
        1000,
        shards,
        Duration.standardMinutes(2),
        Duration.standardHours(1),
        Duration.standardHours(1));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void badRecordsGoToTheDeadLetterWithTheirReasonAndNothingIsLost() {
    List<KafkaRecord<byte[], byte[]>> input = new ArrayList<>();
    long offset = 0;
    input.add(record("auth_events", offset++, utf8(String.format(VALID, 1))));
    input.add(record("auth_events", offset++, utf8("{\"ts\": " + TS + ", broken")));
    input.add(record("auth_events", offset++, new byte[0]));
    input.add(record("auth_events", offset++, new byte[] {0, (byte) 0xff, (byte) 0xfe, 7}));
    input.add(
        record(
            "auth_events",
            offset++,
            utf8(String.format(VALID, 2).replace("\"success\":false", "\"success\":\"no\""))));
    input.add(
        record(
            "auth_events",
            offset++,
            utf8(String.format(VALID, 3).replace(",\"sessionId\":1", ""))));
    input.add(
        record(
            "auth_events",
            offset++,
            utf8(String.format(VALID, 4).replace(Long.toString(TS), "99"))));
    input.add(
        record(
            "auth_events",
            offset++,
            utf8(String.format(VALID, 5).replace("Mozilla/5.0", "x".repeat(2000)))));
    input.add(record("clicks", offset++, utf8(String.format(VALID, 6))));
    input.add(record("auth_events", offset++, utf8(String.format(VALID, 7))));

    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    // One batch, as one poll delivers it, timestamped with its earliest event time.
    PCollectionTuple out =
        p.apply(
                Create.timestamped(TimestampedValue.of(input, new Instant(TS)))
                    .withCoder(KafkaBatchSource.BATCH_CODER))
            .apply(parse(2));

    PCollection<String> events =
        out.get(ParseKafkaRecords.EVENTS)
            .apply(
                "DescribeEvents",
                FlatMapElements.into(TypeDescriptors.strings())
                    .via(
                        kv -> {
                          List<String> described = new ArrayList<>();
                          LakeKey key = LakeKey.decode(kv.getKey());
                          new AvroBytes()
                              .forEach(
                                  key.table(),
                                  kv.getValue(),
                                  r ->
                                      described.add(
                                          key.table().tableName()
                                              + " item "
                                              + r.get("itemInSession")
                                              + " in "
                                              + key.partition()));
                          return described;
                        }));
    PAssert.that(events)
        .containsInAnyOrder(
            "auth_events item 1 in dt=2026-11-23/hr=13",
            "auth_events item 7 in dt=2026-11-23/hr=13");

    PCollection<String> dead =
        out.get(ParseKafkaRecords.DEAD_LETTERS)
            .apply(
                "DescribeDeadLetters",
                FlatMapElements.into(TypeDescriptors.strings())
                    .via(
                        kv -> {
                          List<String> described = new ArrayList<>();
                          new AvroBytes()
                              .forEach(
                                  LakeTable.DEADLETTER,
                                  kv.getValue(),
                                  r ->
                                      described.add(
                                          r.get("topic")
                                              + "/"
                                              + r.get("partition")
                                              + "/"
                                              + r.get("offset")
                                              + " "
                                              + r.get("error")
                                              + " "
                                              + ((ByteBuffer) r.get("payload")).remaining()
                                              + " bytes at "
                                              + r.get("kafka_timestamp")
                                              + " key "
                                              + StandardCharsets.UTF_8.decode(
                                                  (ByteBuffer) r.get("key"))));
                          return described;
                        }));
    PAssert.that(dead)
        .containsInAnyOrder(
            "auth_events/0/1 not_json "
                + input.get(1).getKV().getValue().length
                + " bytes at "
                + (TS + 5)
                + " key k1",
            "auth_events/0/2 empty_payload 0 bytes at " + (TS + 5) + " key k2",
            "auth_events/0/3 not_json 4 bytes at " + (TS + 5) + " key k3",
            "auth_events/0/4 wrong_type "
                + input.get(4).getKV().getValue().length
                + " bytes at "
                + (TS + 5)
                + " key k4",
            "auth_events/0/5 missing_field "
                + input.get(5).getKV().getValue().length
                + " bytes at "
                + (TS + 5)
                + " key k5",
            "auth_events/0/6 ts_out_of_range "
                + input.get(6).getKV().getValue().length
                + " bytes at "
                + (TS + 5)
                + " key k6",
            "auth_events/0/7 payload_too_large "
                + input.get(7).getKV().getValue().length
                + " bytes at "
                + (TS + 5)
                + " key k7",
            "clicks/0/8 unknown_topic "
                + input.get(8).getKV().getValue().length
                + " bytes at "
                + (TS + 5)
                + " key k8");

    // read = parsed + dead-lettered
    PCollection<Long> total =
        PCollectionList.of(out.get(ParseKafkaRecords.EVENTS))
            .and(out.get(ParseKafkaRecords.DEAD_LETTERS))
            .apply(Flatten.pCollections())
            .apply(
                "RecordsPerBlock",
                MapElements.into(TypeDescriptors.longs())
                    .via(
                        kv -> {
                          long[] n = {0};
                          new AvroBytes()
                              .forEach(
                                  LakeKey.decode(kv.getKey()).table(), kv.getValue(), r -> n[0]++);
                          return n[0];
                        }))
            .apply(Sum.longsGlobally());
    PAssert.thatSingleton(total).isEqualTo((long) input.size());
    p.run().waitUntilFinish();
  }

  @Test
  void theRecordsOfABatchTravelAsOneBlockPerLakeKeyAndWindowStampedWithTheEarliest() {
    List<KafkaRecord<byte[], byte[]>> batch = new ArrayList<>();
    long offset = 0;
    for (long at : new long[] {TS + 30_000, TS + 150_000, TS, TS + 119_999}) {
      batch.add(
          record(
              "auth_events",
              offset,
              utf8(
                  String.format(VALID, offset + 1).replace(Long.toString(TS), Long.toString(at)))));
      offset++;
    }
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<String> blocks =
        p.apply(
                Create.timestamped(TimestampedValue.of(batch, new Instant(TS)))
                    .withCoder(KafkaBatchSource.BATCH_CODER))
            .apply(parse(1))
            .get(ParseKafkaRecords.EVENTS)
            .apply(Reify.timestamps())
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        tv -> {
                          List<Object> items = new ArrayList<>();
                          new AvroBytes()
                              .forEach(
                                  LakeTable.AUTH_EVENTS,
                                  tv.getValue().getValue(),
                                  r -> items.add(r.get("itemInSession")));
                          return tv.getValue().getKey()
                              + " at +"
                              + (tv.getTimestamp().getMillis() - TS)
                              + " items "
                              + items;
                        }));
    PAssert.that(blocks)
        .containsInAnyOrder(
            "auth_events|dt=2026-11-23/hr=13|0 at +0 items [1, 3, 4]",
            "auth_events|dt=2026-11-23/hr=13|0 at +150000 items [2]");
    p.run().waitUntilFinish();
  }

  /** Each output element as "key at +ms items [..]", the time relative to TS. */
  static PCollection<String> describe(PCollection<KV<String, byte[]>> blocks, String name) {
    return blocks
        .apply(name + "Stamped", Reify.timestamps())
        .apply(
            name + "Described",
            MapElements.into(TypeDescriptors.strings())
                .via(
                    tv -> {
                      List<Object> items = new ArrayList<>();
                      LakeKey key = LakeKey.decode(tv.getValue().getKey());
                      new AvroBytes()
                          .forEach(
                              key.table(),
                              tv.getValue().getValue(),
                              r ->
                                  items.add(
                                      key.table().isEvent()
                                          ? r.get("itemInSession") + "@" + r.get("kafka_offset")
                                          : r.get("offset") + " " + r.get("error")));
                      return tv.getValue().getKey()
                          + " at +"
                          + (tv.getTimestamp().getMillis() - TS) / 60_000
                          + "min items "
                          + items;
                    }));
  }

  @Test
  void anEventWhoseWindowExpiredBeforeItArrivedGoesToAnArrivalFileOfItsHourNeverDropped() {
    // The batch arrives at 15:30 (its timestamp: the watermark when it was read). Allowed
    // lateness is an hour, so windows that ended before 14:30 have expired.
    long arrival = TS + 150 * 60_000L;
    List<KafkaRecord<byte[], byte[]>> batch = new ArrayList<>();
    long[] times = {
      TS, TS + 87 * 60_000L, TS + 91 * 60_000L, TS + 140 * 60_000L, TS + 160 * 60_000L
    };
    for (int i = 0; i < times.length; i++) {
      batch.add(
          record(
              "auth_events",
              100 + i,
              utf8(
                  String.format(VALID, i + 1)
                      .replace(Long.toString(TS), Long.toString(times[i])))));
    }
    batch.add(record("auth_events", 200, utf8("not json")));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollectionTuple out =
        p.apply(
                Create.timestamped(TimestampedValue.of(batch, new Instant(arrival)))
                    .withCoder(KafkaBatchSource.BATCH_CODER))
            .apply(parse(1));
    PAssert.that(describe(out.get(ParseKafkaRecords.EVENTS), "Events"))
        .containsInAnyOrder(
            // 13:00 and 14:27 (window 14:26-14:28 + 1 h < 15:30): arrival files of their hours,
            // stamped with the arrival time
            "auth_events|dt=2026-11-23/hr=13|0|arrival at +150min items [1@100]",
            "auth_events|dt=2026-11-23/hr=14|0|arrival at +150min items [2@101]",
            // 14:31 (window ends 14:32, + 1 h = 15:32): a late pane; 15:20 too; 15:40 on time
            "auth_events|dt=2026-11-23/hr=14|0 at +91min items [3@102]",
            "auth_events|dt=2026-11-23/hr=15|0 at +140min items [4@103]",
            "auth_events|dt=2026-11-23/hr=15|0 at +160min items [5@104]");
    // the dead letter: stamped and partitioned with the batch's newest event (15:40), whatever
    // its payload says
    PAssert.that(describe(out.get(ParseKafkaRecords.DEAD_LETTERS), "Dead"))
        .containsInAnyOrder("deadletter|dt=2026-11-23/hr=15|0 at +160min items [200 not_json]");
    p.run().waitUntilFinish();
  }

  @Test
  void oneOldEventDoesNotCarryItsBatchsDeadLettersOffToItsHour() {
    // A fresh job: the batch's arrival is its earliest stamp, an event of the year 2000
    long y2000 = 946702800000L; // 2000-01-01T05:00:00Z
    List<KafkaRecord<byte[], byte[]>> batch = new ArrayList<>();
    batch.add(record("auth_events", 0, utf8(String.format(VALID, 1))));
    batch.add(
        record(
            "auth_events",
            1,
            utf8(String.format(VALID, 2).replace(Long.toString(TS), Long.toString(y2000)))));
    batch.add(record("auth_events", 2, utf8("not json")));
    batch.add(record("auth_events", 3, utf8("{\"ts\":1}")));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollectionTuple out =
        p.apply(
                Create.timestamped(TimestampedValue.of(batch, new Instant(y2000)))
                    .withCoder(KafkaBatchSource.BATCH_CODER))
            .apply(parse(1));
    PAssert.that(describe(out.get(ParseKafkaRecords.EVENTS), "Events"))
        .containsInAnyOrder(
            "auth_events|dt=2026-11-23/hr=13|0 at +0min items [1@0]",
            "auth_events|dt=2000-01-01/hr=05|0 at +" + (y2000 - TS) / 60_000 + "min items [2@1]");
    // with the batch's newest event (13:00 on 2026-11-23), not in the year 2000
    PAssert.that(describe(out.get(ParseKafkaRecords.DEAD_LETTERS), "Dead"))
        .containsInAnyOrder(
            "deadletter|dt=2026-11-23/hr=13|0 at +0min items [2 not_json, 3 missing_field]");
    p.run().waitUntilFinish();
  }

  @Test
  void aFutureEventAUserIdBelowOneAndAnUnknownLevelAreDeadLetters() {
    long now = System.currentTimeMillis();
    List<KafkaRecord<byte[], byte[]>> batch = new ArrayList<>();
    String listen =
        "{\"artist\":\"A\",\"song\":\"S\",\"duration\":200.5,\"ts\":%d,"
            + "\"sessionId\":7,\"auth\":\"Logged In\",\"level\":\"%s\",\"itemInSession\":%d,"
            + "\"city\":\"Tampa\",\"zip\":\"33602\",\"state\":\"FL\",\"userAgent\":\"M\","
            + "\"lon\":-82.4,\"lat\":27.9,\"userId\":%d,\"lastName\":\"L\",\"firstName\":\"F\","
            + "\"gender\":\"F\",\"registration\":1700000000000}";
    batch.add(record("listen_events", 0, utf8(String.format(listen, TS, "free", 1, 5))));
    batch.add(
        record("listen_events", 1, utf8(String.format(listen, now + 86_400_000L, "free", 2, 5))));
    batch.add(record("listen_events", 2, utf8(String.format(listen, TS, "free", 3, 0))));
    batch.add(record("listen_events", 3, utf8(String.format(listen, TS, "gold", 4, 5))));
    batch.add(record("listen_events", 4, utf8(String.format(listen, TS, "paid", 5, -3))));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollectionTuple out =
        p.apply(
                Create.timestamped(TimestampedValue.of(batch, new Instant(TS)))
                    .withCoder(KafkaBatchSource.BATCH_CODER))
            .apply(parse(1));
    PAssert.that(describe(out.get(ParseKafkaRecords.EVENTS), "Events"))
        .containsInAnyOrder("listen_events|dt=2026-11-23/hr=13|0 at +0min items [1@0]");
    PAssert.that(describe(out.get(ParseKafkaRecords.DEAD_LETTERS), "Dead"))
        .containsInAnyOrder(
            "deadletter|dt=2026-11-23/hr=13|0 at +0min items"
                + " [1 ts_in_future, 2 invalid_value, 3 invalid_value, 4 invalid_value]");
    p.run().waitUntilFinish();
  }
}
