package io.streamify.stream;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Event-time fixed windows (two minutes by default) that fire once when the watermark passes their
 * end, then again for late data, batched for a delay after the first late element so a trickle of
 * late events does not make a file each. Panes are discarding: each pane's file holds only what
 * arrived since the last.
 */
public final class WindowForLake
    extends PTransform<PCollection<KV<String, byte[]>>, PCollection<KV<String, byte[]>>> {
  private final Duration size;
  private final Duration allowedLateness;
  private final Duration lateFiringDelay;

  public WindowForLake(Duration size, Duration allowedLateness, Duration lateFiringDelay) {
    if (Duration.standardHours(1).getMillis() % size.getMillis() != 0) {
      // A window must not straddle an hour: its files go to the hour of its start.
      throw new IllegalArgumentException("the window size must divide an hour, got " + size);
    }
    this.size = size;
    this.allowedLateness = allowedLateness;
    this.lateFiringDelay = lateFiringDelay;
  }

  @Override
  public PCollection<KV<String, byte[]>> expand(PCollection<KV<String, byte[]>> records) {
    return records.apply(
        "FixedWindows",
        Window.<KV<String, byte[]>>into(FixedWindows.of(size))
            .triggering(
                AfterWatermark.pastEndOfWindow()
                    .withLateFirings(
                        AfterProcessingTime.pastFirstElementInPane().plusDelayOf(lateFiringDelay)))
            .withAllowedLateness(allowedLateness)
            .discardingFiredPanes());
  }
}
