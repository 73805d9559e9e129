package io.streamify.stream;

import io.streamify.lake.ClosedMarks;
import io.streamify.lake.LakeLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Marks hours of the lake closed (see {@link ClosedMarks}): once the watermark after the writer has
 * passed an hour's end plus the allowed lateness, no file of that hour is written any more except
 * arrival files, so the hourly pipeline may load it.
 *
 * <ul>
 *   <li>An hour that gets files is noted open ({@code closed/dt=…/hr=…/open.json}) with the first
 *       of them, so that a loader finds it even if this launch stops before closing it.
 *   <li>An hour that got files is marked ({@code closed/dt=…/hr=…/closed.json}) by an event-time
 *       timer at its end plus the lateness, downstream of {@link WriteLakeFiles}, so every pane of
 *       its windows, late ones included, has been written first. A file that reaches an hour after
 *       its mark (an arrival file, a restarted job's re-read records) sets the timer again, and the
 *       mark is written again with a new version: the hour changed and must be loaded again.
 *   <li>Hours in which nothing arrived are closed by {@code closed/watermark.json}, moved forward
 *       an hour at a time by a timer started at launch: it fires once the watermark passes the
 *       launch time, then at each hour's end plus the lateness. So a quiet night, or a run whose
 *       hours hold no event at all, still closes.
 * </ul>
 *
 * Output: the partition ({@code dt=…/hr=…}) of each hour mark written, timestamped when it closed.
 */
public final class MarkClosedHours
    extends PTransform<PCollection<KV<String, Long>>, PCollection<String>> {
  static final long HOUR = Duration.standardHours(1).getMillis();

  /** The value of the launch element that starts the closed-through timer. */
  static final long LAUNCH = Long.MIN_VALUE;

  private final String lake;
  private final Duration allowedLateness;
  private final Instant launchTime;
  private final Duration maxAhead;
  private final String launch;

  /**
   * @param lake the lake root, a local folder or gs://bucket/prefix
   * @param launchTime when the job was launched (wall clock): the closed-through timer first fires
   *     when the watermark passes it
   * @param maxAhead how far ahead of the wall clock events are accepted: the closed-through mark
   *     stops there (a drain moves the watermark to the end of time)
   * @param launch this launch's id, recorded in the closed-through mark
   */
  public MarkClosedHours(
      String lake, Duration allowedLateness, Instant launchTime, Duration maxAhead, String launch) {
    this.lake = lake;
    this.allowedLateness = allowedLateness;
    this.launchTime = launchTime;
    this.maxAhead = maxAhead;
    this.launch = launch;
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, Long>> writtenFiles) {
    KvCoder<String, Long> coder = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    PCollection<KV<String, Long>> hours =
        writtenFiles
            .apply(
                "HourOfFile",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via(file -> KV.of("lake", LakeLayout.hourOf(file.getKey()))))
            .setCoder(coder)
            // One timeline: the global window, with the default trigger of the launch element's.
            .apply(
                "OneTimeline",
                Window.<KV<String, Long>>into(new GlobalWindows())
                    .triggering(DefaultTrigger.of())
                    .withAllowedLateness(Duration.ZERO)
                    .discardingFiredPanes());
    PCollection<KV<String, Long>> launched =
        writtenFiles
            .getPipeline()
            .apply(
                "Launch",
                Create.timestamped(TimestampedValue.of(KV.of("lake", LAUNCH), launchTime))
                    .withCoder(coder));
    return PCollectionList.of(hours)
        .and(launched)
        .apply("HoursAndLaunch", Flatten.pCollections())
        .apply(
            "CloseHours",
            ParDo.of(
                new CloseHoursFn(lake, allowedLateness.getMillis(), maxAhead.getMillis(), launch)));
  }

  static final class CloseHoursFn extends DoFn<KV<String, Long>, String> {
    private final String lake;
    private final long lateness;
    private final long maxAhead;
    private final String launch;

    /** Hours with files not marked since they got them, in order. */
    @StateId("open")
    private final StateSpec<ValueState<List<Long>>> openSpec =
        StateSpecs.value(ListCoder.of(VarLongCoder.of()));

    @TimerId("close")
    private final TimerSpec closeSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("closedThrough")
    private final TimerSpec throughSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    CloseHoursFn(String lake, long lateness, long maxAhead, String launch) {
      this.lake = lake;
      this.lateness = lateness;
      this.maxAhead = maxAhead;
      this.launch = launch;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Long> hour,
        @Timestamp Instant timestamp,
        @StateId("open") ValueState<List<Long>> open,
        @TimerId("close") Timer close,
        @TimerId("closedThrough") Timer through)
        throws IOException {
      if (hour.getValue() == LAUNCH) {
        through.set(timestamp);
        return;
      }
      List<Long> hours = open.read() == null ? new ArrayList<>() : new ArrayList<>(open.read());
      if (!hours.contains(hour.getValue())) {
        // a loader must find this hour even if this launch stops before it can mark it closed
        ClosedMarks.noteOpen(lake, hour.getValue(), launch);
        hours.add(hour.getValue());
        hours.sort(null);
        open.write(hours);
        // An hour closed long ago (an arrival file) gets a timer in the past: it fires at once.
        close.set(closesAt(hours.get(0)));
      }
    }

    @OnTimer("close")
    public void onClose(
        OnTimerContext ctx,
        @StateId("open") ValueState<List<Long>> open,
        @TimerId("close") Timer close)
        throws IOException {
      List<Long> hours = open.read() == null ? new ArrayList<>() : new ArrayList<>(open.read());
      long watermark = ctx.timestamp().getMillis();
      while (!hours.isEmpty() && closesAt(hours.get(0)).getMillis() <= watermark) {
        long hour = hours.remove(0);
        ClosedMarks.markHour(lake, hour);
        ctx.output(LakeLayout.hourPartition(hour));
      }
      open.write(hours);
      if (!hours.isEmpty()) {
        close.set(closesAt(hours.get(0)));
      }
    }

    /** The watermark has passed {@code ctx.timestamp()}: every hour that closed by then is. */
    @OnTimer("closedThrough")
    public void onClosedThrough(OnTimerContext ctx, @TimerId("closedThrough") Timer through)
        throws IOException {
      long last = Math.floorDiv(ctx.timestamp().getMillis() - lateness - HOUR, HOUR) * HOUR;
      ClosedMarks.raiseClosedThrough(lake, last, launch);
      Instant next = closesAt(last + HOUR);
      // Hour by hour, but not past the accepted future: a drain fires timers up to the end of time.
      if (next.getMillis() <= System.currentTimeMillis() + maxAhead + HOUR) {
        through.set(next);
      }
    }

    private Instant closesAt(long hourStart) {
      return new Instant(hourStart + HOUR + lateness);
    }
  }
}
