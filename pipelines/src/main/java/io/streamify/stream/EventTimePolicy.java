package io.streamify.stream;

import io.streamify.events.EventParser;
import io.streamify.events.EventTime;
import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event time from the JSON {@code ts}; a busy partition's watermark trails its newest event by a
 * bounded delay.
 *
 * <p>A caught-up partition must not hold the others back (Beam issue #20908: Beam's
 * CustomTimestampPolicyWithLimitedDelay pins a partition that has delivered nothing at the minimum
 * until its first record, and with four topics some partition is nearly always quiet). Here a
 * caught-up partition follows the slowest partition that delivered a record in the last
 * {@link #RECENT} of processing time (on this worker), or, when none did, the wall clock minus the
 * delay. So an idle topic neither stalls windows nor races ahead of the busy ones, also when the
 * events' time runs ahead of the wall clock (the generator's accelerated mode).
 *
 * <p>Records without a usable {@code ts} keep their Kafka timestamp; the parser dead-letters them.
 */
final class EventTimePolicy extends TimestampPolicy<byte[], byte[]> {
  /** How recently a partition must have delivered a record to pace the idle ones. */
  static final long RECENT = java.time.Duration.ofSeconds(10).toNanos();

  /** Per-partition progress shared by the policies of one read on one worker. */
  private static final Map<String, Map<TopicPartition, Progress>> CLOCKS =
      new ConcurrentHashMap<>();

  private static final class Progress {
    volatile long newestEvent = Long.MIN_VALUE;
    volatile long lastRecordNanos = Long.MIN_VALUE;
  }

  private final Duration maxDelay;
  private final Map<TopicPartition, Progress> clock;
  private final Progress progress;
  private Instant watermark;

  EventTimePolicy(String clockId, TopicPartition tp, Duration maxDelay,
      Optional<Instant> previousWatermark) {
    this.maxDelay = maxDelay;
    this.clock = CLOCKS.computeIfAbsent(clockId, id -> new ConcurrentHashMap<>());
    this.progress = clock.computeIfAbsent(tp, p -> new Progress());
    this.watermark = previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  static TimestampPolicyFactory<byte[], byte[]> factory(Duration maxDelay) {
    return new Factory(UUID.randomUUID().toString(), maxDelay);
  }

  private static final class Factory
      implements TimestampPolicyFactory<byte[], byte[]>, Serializable {
    private final String clockId;
    private final Duration maxDelay;

    Factory(String clockId, Duration maxDelay) {
      this.clockId = clockId;
      this.maxDelay = maxDelay;
    }

    @Override
    public TimestampPolicy<byte[], byte[]> createTimestampPolicy(TopicPartition tp,
        Optional<Instant> previousWatermark) {
      return new EventTimePolicy(clockId, tp, maxDelay, previousWatermark);
    }
  }

  /** A record's event time: its JSON ts, or for a dead letter to be, when Kafka got it. */
  static long eventTime(KafkaRecord<byte[], byte[]> record) {
    long ts = EventTime.of(record.getKV().getValue());
    if (ts < EventParser.MIN_TS || ts >= EventParser.MAX_TS) {
      ts = record.getTimestamp();
    }
    return Math.max(ts, BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis());
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
    long ts = eventTime(record);
    if (ts > progress.newestEvent) {
      progress.newestEvent = ts;
    }
    progress.lastRecordNanos = System.nanoTime();
    return new Instant(ts);
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    long candidate;
    if (ctx.getMessageBacklog() == 0) {
      candidate = idleWatermark(ctx.getBacklogCheckTime().getMillis());
    } else {
      candidate = progress.newestEvent == Long.MIN_VALUE
          ? Long.MIN_VALUE : progress.newestEvent - maxDelay.getMillis();
    }
    if (candidate > watermark.getMillis()) {
      watermark = new Instant(candidate);
    }
    return watermark;
  }

  private long idleWatermark(long checkTime) {
    long now = System.nanoTime();
    long slowestActive = Long.MAX_VALUE;
    for (Progress p : clock.values()) {
      if (p != progress && p.lastRecordNanos != Long.MIN_VALUE
          && now - p.lastRecordNanos < RECENT) {
        slowestActive = Math.min(slowestActive, p.newestEvent);
      }
    }
    long wallClock = checkTime - maxDelay.getMillis();
    return slowestActive == Long.MAX_VALUE
        ? wallClock : Math.max(wallClock, slowestActive - maxDelay.getMillis());
  }
}
