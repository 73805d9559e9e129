package io.streamify.stream;

import io.streamify.lake.LakeLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Marks an hour of the lake closed once the writer's watermark has passed the hour's end plus the
 * allowed lateness: from then on no file of that hour is written (a later event of it is dropped by
 * the window), so the hourly pipeline may read it. The marker is a small JSON file,
 * {@code closed/dt=YYYY-MM-DD/hr=HH/closed.json} (see {@link LakeLayout#closedMarker}).
 *
 * <p>It runs after {@link WriteLakeFiles}, on the files it wrote, so the event-time timer fires only
 * when every pane of the hour's windows, late ones included, has been written. An hour in which
 * nothing at all was written gets no marker; a later hour's marker implies it is closed too.
 */
public final class MarkClosedHours
    extends PTransform<PCollection<KV<String, Long>>, PCollection<String>> {
  private final String lake;
  private final Duration allowedLateness;

  public MarkClosedHours(String lake, Duration allowedLateness) {
    this.lake = lake;
    this.allowedLateness = allowedLateness;
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, Long>> writtenFiles) {
    return writtenFiles
        .apply("HourOfWindow", ParDo.of(new HourOfWindowFn()))
        .apply("OneTimeline", Window.<KV<String, Long>>into(new GlobalWindows()))
        .apply("CloseHours", ParDo.of(new CloseHoursFn(lake, allowedLateness.getMillis())));
  }

  /** The start of the hour of the window a file belongs to, under one key (one timeline). */
  static final class HourOfWindowFn extends DoFn<KV<String, Long>, KV<String, Long>> {
    @ProcessElement
    public void process(IntervalWindow window, OutputReceiver<KV<String, Long>> out) {
      long start = window.start().getMillis();
      out.output(KV.of("lake", start - Math.floorMod(start, HOUR)));
    }
  }

  static final long HOUR = Duration.standardHours(1).getMillis();

  static final class CloseHoursFn extends DoFn<KV<String, Long>, String> {
    private final String lake;
    private final long lateness;

    @StateId("open")
    private final StateSpec<ValueState<List<Long>>> openSpec =
        StateSpecs.value(ListCoder.of(VarLongCoder.of()));

    @TimerId("close")
    private final TimerSpec closeSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    CloseHoursFn(String lake, long lateness) {
      this.lake = lake;
      this.lateness = lateness;
    }

    @ProcessElement
    public void process(@Element KV<String, Long> hour,
        @StateId("open") ValueState<List<Long>> open, @TimerId("close") Timer close) {
      List<Long> hours = open.read() == null ? new ArrayList<>() : new ArrayList<>(open.read());
      if (!hours.contains(hour.getValue())) {
        hours.add(hour.getValue());
        hours.sort(null);
        open.write(hours);
        close.set(closesAt(hours.get(0)));
      }
    }

    @OnTimer("close")
    public void onClose(OnTimerContext ctx, @StateId("open") ValueState<List<Long>> open,
        @TimerId("close") Timer close) throws IOException {
      List<Long> hours = open.read() == null ? new ArrayList<>() : new ArrayList<>(open.read());
      long watermark = ctx.timestamp().getMillis();
      while (!hours.isEmpty() && closesAt(hours.get(0)).getMillis() <= watermark) {
        long hour = hours.remove(0);
        writeMarker(hour);
        ctx.output(LakeLayout.hourPartition(hour));
      }
      open.write(hours);
      if (!hours.isEmpty()) {
        close.set(closesAt(hours.get(0)));
      }
    }

    private Instant closesAt(long hourStart) {
      return new Instant(hourStart + HOUR + lateness);
    }

    private void writeMarker(long hour) throws IOException {
      ResourceId marker = FileSystems.matchNewResource(
          LakeLayout.resolve(lake, LakeLayout.closedMarker(hour)), false);
      String json = "{\"hour\":\"" + java.time.Instant.ofEpochMilli(hour) + "\",\"closedAt\":\""
          + java.time.Instant.now() + "\"}\n";
      try (OutputStream out = Channels.newOutputStream(FileSystems.create(marker, MimeTypes.TEXT))) {
        out.write(json.getBytes(StandardCharsets.UTF_8));
      }
    }
  }
}
