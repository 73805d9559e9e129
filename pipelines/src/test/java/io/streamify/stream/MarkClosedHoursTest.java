package io.streamify.stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.streamify.lake.LakeLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An hour is marked closed exactly when the watermark after the writer passes its end plus the
 * allowed lateness (the mark's timestamp says when), once, in hour order; an hour with no file
 * gets no mark.
 */
class MarkClosedHoursTest {
  static final Instant H13 = Instant.parse("2026-11-23T13:00:00Z");
  static final Duration LATENESS = Duration.standardMinutes(10);

  static TimestampedValue<KV<String, Long>> file(String name, Instant at) {
    return TimestampedValue.of(KV.of(name, 10L), at);
  }

  @Test
  void marksEachHourWhenTheWatermarkPassesItsEndPlusLateness(@TempDir Path lake) throws Exception {
    Instant h14 = H13.plus(Duration.standardHours(1));
    Instant h16 = H13.plus(Duration.standardHours(3));
    TestStream<KV<String, Long>> files = TestStream.create(
            KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .advanceWatermarkTo(H13)
        .addElements(file("a", H13.plus(Duration.standardMinutes(1))),
            file("b", H13.plus(Duration.standardMinutes(59))))
        .advanceWatermarkTo(h14.plus(Duration.standardMinutes(1)))
        // a late pane of hour 13 and the first file of hour 14, then hour 16 (15 has none)
        .addElements(file("c", H13.plus(Duration.standardMinutes(30))),
            file("d", h14.plus(Duration.standardMinutes(3))),
            file("e", h16.plus(Duration.standardMinutes(5))))
        .advanceWatermarkTo(h14.plus(LATENESS).minus(Duration.millis(1)))
        .addElements(file("f", h14.plus(Duration.standardMinutes(20))))
        .advanceWatermarkTo(h16.plus(Duration.standardMinutes(30)))
        .advanceWatermarkToInfinity();

    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<String> closed = p.apply(files)
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(2))))
        .apply(new MarkClosedHours(lake.toString(), LATENESS));
    PCollection<String> closedAt = closed.apply(Reify.timestamps())
        .apply(MapElements.into(TypeDescriptors.strings())
            .via(tv -> tv.getValue() + " @ " + tv.getTimestamp()));
    PAssert.that(closedAt).containsInAnyOrder(
        "dt=2026-11-23/hr=13 @ 2026-11-23T14:10:00.000Z",
        "dt=2026-11-23/hr=14 @ 2026-11-23T15:10:00.000Z",
        "dt=2026-11-23/hr=16 @ 2026-11-23T17:10:00.000Z");
    p.run().waitUntilFinish();

    Path mark13 = lake.resolve(LakeLayout.closedMarker(H13.getMillis()));
    assertThat(mark13.toString(),
        lake.relativize(mark13).toString(), is("closed/dt=2026-11-23/hr=13/closed.json"));
    assertThat(Files.readString(mark13), containsString("\"hour\":\"2026-11-23T13:00:00Z\""));
    assertThat(Files.exists(lake.resolve("closed/dt=2026-11-23/hr=14/closed.json")), is(true));
    assertThat(Files.exists(lake.resolve("closed/dt=2026-11-23/hr=15")), is(false));
    assertThat(Files.exists(lake.resolve("closed/dt=2026-11-23/hr=16/closed.json")), is(true));
  }
}
