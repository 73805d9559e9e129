package io.streamify.stream;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.joda.time.Instant;

/**
 * Turns KafkaIO's record-per-element output into the batches {@link ParseKafkaRecords} takes: the
 * records of a bundle become one batch, timestamped with the earliest of their timestamps. The
 * batch leaves with the bundle, whose unfinished input holds the watermark until then, so no record
 * becomes late by being batched. Expects the global window (a read's output).
 */
final class BatchPerBundle
    extends DoFn<KafkaRecord<byte[], byte[]>, List<KafkaRecord<byte[], byte[]>>> {
  private transient List<KafkaRecord<byte[], byte[]>> batch;
  private transient long earliest;

  @StartBundle
  public void startBundle() {
    batch = new ArrayList<>();
    earliest = Long.MAX_VALUE;
  }

  @ProcessElement
  public void process(@Element KafkaRecord<byte[], byte[]> record, @Timestamp Instant timestamp) {
    // Emitted only when the bundle finishes: an earlier output could not carry a timestamp
    // before the current element's. A runner's bundles are bounded, so is the batch.
    batch.add(record);
    earliest = Math.min(earliest, timestamp.getMillis());
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (!batch.isEmpty()) {
      context.output(batch, new Instant(earliest), GlobalWindow.INSTANCE);
    }
    batch = null;
  }
}
