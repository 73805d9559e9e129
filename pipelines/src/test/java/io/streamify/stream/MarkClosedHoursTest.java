package io.streamify.stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.streamify.lake.ClosedMarks;
import io.streamify.lake.LakeLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
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
 * allowed lateness (the mark's timestamp says when), once, in hour order; an hour with no file gets
 * no mark.
 */
class MarkClosedHoursTest {
  static final Instant H13 = Instant.parse("2026-11-23T13:00:00Z");
  static final Duration LATENESS = Duration.standardMinutes(10);

  /** A file written in the hour partition of {@code at}, at {@code at}. */
  static TimestampedValue<KV<String, Long>> file(String name, Instant at) {
    return file(name, at, at);
  }

  /** A file of the hour of {@code eventTime} written at {@code at} (an arrival file, say). */
  static TimestampedValue<KV<String, Long>> file(String name, Instant eventTime, Instant at) {
    return TimestampedValue.of(
        KV.of(
            "/lake/events/auth_events/"
                + LakeLayout.hourPartition(eventTime.getMillis())
                + "/"
                + name
                + ".parquet",
            10L),
        at);
  }

  static MarkClosedHours mark(Path lake, Instant launch) {
    return new MarkClosedHours(
        lake.toString(), LATENESS, launch, Duration.standardHours(1), "test");
  }

  @Test
  void marksEachHourWhenTheWatermarkPassesItsEndPlusLateness(@TempDir Path lake) throws Exception {
    Instant h14 = H13.plus(Duration.standardHours(1));
    Instant h16 = H13.plus(Duration.standardHours(3));
    TestStream<KV<String, Long>> files =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .advanceWatermarkTo(H13)
            .addElements(
                file("a", H13.plus(Duration.standardMinutes(1))),
                file("b", H13.plus(Duration.standardMinutes(59))))
            .advanceWatermarkTo(h14.plus(Duration.standardMinutes(1)))
            // a late pane of hour 13 and the first file of hour 14, then hour 16 (15 has none)
            .addElements(
                file("c", H13.plus(Duration.standardMinutes(30))),
                file("d", h14.plus(Duration.standardMinutes(3))),
                file("e", h16.plus(Duration.standardMinutes(5))))
            .advanceWatermarkTo(h14.plus(LATENESS).minus(Duration.millis(1)))
            .addElements(file("f", h14.plus(Duration.standardMinutes(20))))
            .advanceWatermarkTo(h16.plus(Duration.standardMinutes(30)))
            .advanceWatermarkToInfinity();

    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<String> closed =
        p.apply(files)
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(2))))
            .apply(mark(lake, Instant.parse("2026-11-23T19:00:00Z")));
    PCollection<String> closedAt =
        closed
            .apply(Reify.timestamps())
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(tv -> tv.getValue() + " @ " + tv.getTimestamp()));
    PAssert.that(closedAt)
        .containsInAnyOrder(
            "dt=2026-11-23/hr=13 @ 2026-11-23T14:10:00.000Z",
            "dt=2026-11-23/hr=14 @ 2026-11-23T15:10:00.000Z",
            "dt=2026-11-23/hr=16 @ 2026-11-23T17:10:00.000Z");
    p.run().waitUntilFinish();

    Path mark13 = lake.resolve(LakeLayout.closedMarker(H13.getMillis()));
    assertThat(
        mark13.toString(),
        lake.relativize(mark13).toString(),
        is("closed/dt=2026-11-23/hr=13/closed.json"));
    assertThat(Files.readString(mark13), containsString("\"hour\":\"2026-11-23T13:00:00Z\""));
    assertThat(Files.exists(lake.resolve("closed/dt=2026-11-23/hr=14/closed.json")), is(true));
    assertThat(Files.exists(lake.resolve("closed/dt=2026-11-23/hr=15")), is(false));
    assertThat(Files.exists(lake.resolve("closed/dt=2026-11-23/hr=16/closed.json")), is(true));
  }

  @Test
  void aFileForAClosedHourMarksItAgainWithANewVersion(@TempDir Path lake) throws Exception {
    Instant h18 = H13.plus(Duration.standardHours(5));
    Path mark13 = lake.resolve(LakeLayout.closedMarker(H13.getMillis()));
    TestStream<KV<String, Long>> files =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .advanceWatermarkTo(H13)
            .addElements(file("a", H13.plus(Duration.standardMinutes(1))))
            .advanceWatermarkTo(h18)
            // hours later, an arrival file of hour 13 (written at 18:00)
            .addElements(file("arrived-b", H13.plus(Duration.standardMinutes(3)), h18))
            .advanceWatermarkTo(h18.plus(Duration.standardMinutes(1)))
            .advanceWatermarkToInfinity();
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<String> closed =
        p.apply(files)
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(2))))
            .apply(mark(lake, Instant.parse("2026-11-23T19:00:00Z")));
    PAssert.that(
            closed
                .apply(Reify.timestamps())
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(tv -> tv.getValue() + " @ " + tv.getTimestamp())))
        .containsInAnyOrder(
            "dt=2026-11-23/hr=13 @ 2026-11-23T14:10:00.000Z",
            "dt=2026-11-23/hr=13 @ 2026-11-23T14:10:00.000Z");
    p.run().waitUntilFinish();
    // two marks were written; the file holds the second, whose version is new
    assertThat(Files.readString(mark13), containsString("\"version\":\""));
    assertThat(Files.exists(lake.resolve("closed/dt=2026-11-23/hr=14")), is(false));
  }

  @Test
  void hoursWithoutAnyFileCloseByTheClosedThroughMarkOnceTheWatermarkPassesTheLaunch(
      @TempDir Path lake) throws Exception {
    Instant launch = Instant.parse("2026-11-23T16:20:00Z");
    TestStream<KV<String, Long>> files =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .advanceWatermarkTo(launch.minus(Duration.millis(1)))
            .advanceProcessingTime(Duration.standardSeconds(1))
            .advanceWatermarkTo(launch)
            .advanceWatermarkTo(Instant.parse("2026-11-23T17:09:00Z"))
            .advanceWatermarkToInfinity();
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<String> closed =
        p.apply(files)
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(2))))
            .apply(mark(lake, launch));
    PAssert.that(closed).empty();
    p.run().waitUntilFinish();
    // at 16:20 with 10 minutes of lateness, hour 15 and every hour before it are closed; the
    // drain to infinity moved it on hour by hour up to the accepted future (an hour ahead)
    assertThat(ClosedMarks.readClosedThrough(lake.toString()).isPresent(), is(true));
    long through = ClosedMarks.readClosedThrough(lake.toString()).get();
    long expectedMax = Instant.now().plus(Duration.standardHours(2)).getMillis();
    assertThat(
        through >= Instant.parse("2026-11-23T15:00:00Z").getMillis() && through <= expectedMax,
        is(true));
  }

  @Test
  void theClosedThroughMarkNamesTheLastHourWhoseEndPlusLatenessTheWatermarkPassed(
      @TempDir Path lake) throws Exception {
    ClosedMarks.raiseClosedThrough(lake.toString(), H13.getMillis(), "l1");
    ClosedMarks.raiseClosedThrough(
        lake.toString(), H13.minus(Duration.standardHours(5)).getMillis(), "l2");
    assertThat(ClosedMarks.readClosedThrough(lake.toString()).get(), is(H13.getMillis()));
    // a launch that reaches the same hour takes the mark over; one that names another ignores it
    assertThat(
        ClosedMarks.readClosedThrough(lake.toString(), Optional.of("l2")).isPresent(), is(false));
    ClosedMarks.raiseClosedThrough(lake.toString(), H13.getMillis(), "l2");
    assertThat(
        ClosedMarks.readClosedThrough(lake.toString(), Optional.of("l2")).get(),
        is(H13.getMillis()));
    var marks = ClosedMarks.allHourMarks(lake.toString());
    assertThat(marks.isEmpty(), is(true));
    String v1 =
        ClosedMarks.markHour(lake.toString(), H13.plus(Duration.standardHours(2)).getMillis());
    marks = ClosedMarks.allHourMarks(lake.toString());
    assertThat(marks.toString(), marks.size(), is(1));
    assertThat(marks.firstEntry().getValue(), is(v1));
    var listed = ClosedMarks.listMarks(lake.toString());
    assertThat(
        ClosedMarks.closedThrough(
                lake.toString(), Optional.of(listed.lastEntry().getValue()), Optional.empty())
            .get()
            .hour(),
        is(H13.plus(Duration.standardHours(2)).getMillis()));
  }

  @Test
  void anHourWithoutAMarkIsClosedOnlyIfItsFilesAreOlderThanWhatClosedIt() {
    var through = Optional.of(new ClosedMarks.Through(H13.getMillis(), "l", 1_000));
    long h12 = H13.minus(Duration.standardHours(1)).getMillis();
    assertThat(
        "an empty hour",
        ClosedMarks.closedWithoutMark(through, h12, OptionalLong.empty()),
        is(true));
    assertThat(
        "a stopped job's files",
        ClosedMarks.closedWithoutMark(through, h12, OptionalLong.of(999)),
        is(true));
    assertThat(
        "a running job's files",
        ClosedMarks.closedWithoutMark(through, h12, OptionalLong.of(1_000)),
        is(false));
    assertThat(
        "after the last closed hour",
        ClosedMarks.closedWithoutMark(
            through, H13.plus(Duration.standardHours(1)).getMillis(), OptionalLong.empty()),
        is(false));
    assertThat(
        "nothing closed",
        ClosedMarks.closedWithoutMark(Optional.empty(), h12, OptionalLong.empty()),
        is(false));
  }
}
