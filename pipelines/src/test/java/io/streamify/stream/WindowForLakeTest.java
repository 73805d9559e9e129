package io.streamify.stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import io.streamify.events.AvroBytes;
import io.streamify.events.EventParser;
import io.streamify.events.LakeTable;
import io.streamify.lake.LakeKey;
import io.streamify.lake.LakeLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Windowing and lateness, pane by pane: on-time events fire when the watermark passes the window,
 * late ones within the allowed lateness fire in a late pane (batched by the firing delay), and
 * events later than that are dropped.
 */
class WindowForLakeTest {
  static final Instant T0 = Instant.parse("2026-11-23T13:02:00Z");
  static final IntervalWindow WINDOW = new IntervalWindow(T0, T0.plus(Duration.standardMinutes(2)));
  static final IntervalWindow NEXT =
      new IntervalWindow(WINDOW.end(), WINDOW.end().plus(Duration.standardMinutes(2)));
  static final Duration LATENESS = Duration.standardMinutes(10);
  static final Duration DELAY = Duration.standardSeconds(30);

  static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
  }

  static TimestampedValue<KV<String, byte[]>> at(String key, String value, Duration offset) {
    return TimestampedValue.of(KV.of(key, value.getBytes(StandardCharsets.UTF_8)), T0.plus(offset));
  }

  /** on-time a, b (and x in the next window); late c, d within lateness; e too late. */
  static TestStream<KV<String, byte[]>> events(String key) {
    return TestStream.create(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))
        .advanceWatermarkTo(T0)
        .addElements(
            at(key, "a", Duration.standardSeconds(10)),
            at(key, "b", Duration.standardSeconds(70)),
            at(key, "x", Duration.standardSeconds(130)))
        .advanceWatermarkTo(WINDOW.end().plus(Duration.standardSeconds(1)))
        .addElements(at(key, "c", Duration.standardSeconds(20)))
        .addElements(at(key, "d", Duration.standardSeconds(100)))
        .advanceProcessingTime(DELAY.plus(Duration.standardSeconds(1)))
        .advanceWatermarkTo(WINDOW.end().plus(LATENESS).plus(Duration.standardMinutes(1)))
        .addElements(at(key, "e", Duration.standardSeconds(30)))
        .advanceWatermarkToInfinity();
  }

  @Test
  void onTimeLateAndDroppableEventsPaneByPane() {
    Pipeline p = pipeline();
    PCollection<List<String>> panes =
        p.apply(events("k"))
            .apply(new WindowForLake(Duration.standardMinutes(2), LATENESS, DELAY))
            .apply(GroupByKey.create())
            .apply(
                MapElements.into(TypeDescriptors.lists(TypeDescriptors.strings()))
                    .via(
                        kv -> {
                          List<String> values = new ArrayList<>();
                          kv.getValue()
                              .forEach(b -> values.add(new String(b, StandardCharsets.UTF_8)));
                          Collections.sort(values);
                          return values;
                        }));
    PAssert.that(panes).inOnTimePane(WINDOW).containsInAnyOrder(List.of("a", "b"));
    PAssert.that(panes).inLatePane(WINDOW).containsInAnyOrder(List.of("c", "d"));
    // e came after window end + allowed lateness: dropped, in no pane at all.
    PAssert.that(panes).inWindow(WINDOW).containsInAnyOrder(List.of("a", "b"), List.of("c", "d"));
    PAssert.that(panes).inOnTimePane(NEXT).containsInAnyOrder(List.of("x"));
    p.run().waitUntilFinish();
  }

  @Test
  void aLatePaneIsANewFileBesideTheOnTimeOneNeverAnOverwrite(@TempDir Path lake) {
    EventParser parser = new EventParser();
    AvroBytes avro = new AvroBytes();
    String key =
        new LakeKey(LakeTable.AUTH_EVENTS, LakeLayout.hourPartition(T0.getMillis()), 0).encode();
    TestStream.Builder<KV<String, byte[]>> s =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))
            .advanceWatermarkTo(T0);
    List<TimestampedValue<KV<String, byte[]>>> onTime = new ArrayList<>();
    for (int item : new int[] {1, 2}) {
      onTime.add(authEvent(parser, avro, key, item, Duration.standardSeconds(item)));
    }
    s =
        s.addElements(onTime.get(0), onTime.get(1))
            .advanceWatermarkTo(WINDOW.end().plus(Duration.standardSeconds(1)))
            .addElements(authEvent(parser, avro, key, 3, Duration.standardSeconds(3)))
            .advanceProcessingTime(DELAY.plus(Duration.standardSeconds(1)));
    Pipeline p = pipeline();
    p.apply(s.advanceWatermarkToInfinity())
        .apply(new WindowForLake(Duration.standardMinutes(2), LATENESS, DELAY))
        .apply(new WriteLakeFiles(lake.toString(), "", "test", 1, ""));
    p.run().waitUntilFinish();

    List<LakeFiles.Row> rows = LakeFiles.read(lake, LakeTable.AUTH_EVENTS);
    List<String> files = new ArrayList<>();
    List<Integer> items = new ArrayList<>();
    for (LakeFiles.Row r : rows) {
      files.add(lake.relativize(r.file()).toString());
      items.add((Integer) r.record().get("itemInSession"));
    }
    String dir = "events/auth_events/dt=2026-11-23/hr=13/";
    assertThat(
        files.stream().distinct().toList(),
        contains(
            dir + "20261123T130200Z-20261123T130400Z-pane-0-test-0-of-1.parquet",
            dir + "20261123T130200Z-20261123T130400Z-pane-1-test-0-of-1.parquet"));
    assertThat(items, containsInAnyOrder(1, 2, 3));
    assertThat(rows.get(rows.size() - 1).record().get("itemInSession"), is(3));
  }

  static TimestampedValue<KV<String, byte[]>> authEvent(
      EventParser parser, AvroBytes avro, String key, int item, Duration offset) {
    long ts = T0.plus(offset).getMillis();
    String json =
        "{\"ts\":"
            + ts
            + ",\"sessionId\":7,\"level\":\"paid\",\"itemInSession\":"
            + item
            + ",\"city\":\"Tampa\",\"zip\":\"33602\",\"state\":\"FL\",\"userAgent\":\"Mozilla/5.0\","
            + "\"lon\":-82.4572,\"lat\":27.9506,\"success\":false}";
    try {
      byte[] bytes =
          avro.encode(
              LakeTable.AUTH_EVENTS,
              parser.parse(LakeTable.AUTH_EVENTS, json.getBytes(StandardCharsets.UTF_8)));
      return TimestampedValue.of(KV.of(key, bytes), new Instant(ts));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
