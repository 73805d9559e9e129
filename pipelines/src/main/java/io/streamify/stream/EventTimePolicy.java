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
 * {@link #RECENT} of processing time (on this worker, itself included), or, when none did, the
 * wall clock minus the delay. So an idle topic neither stalls windows nor races ahead of the busy
 * ones, also when the events' time runs ahead of the wall clock (the generator's accelerated mode)
 * or behind it (a replay of past events: a caught-up reader must not jump to "now").
 *
 * <p>Until the read has seen its first record, the wall-clock fallback waits for a start-up grace
 * ({@link #STARTUP_GRACE}): a pipeline started on empty topics, just before a producer that replays
 * past events (the generator's historical and accelerated modes, {@code streamify local}), would
 * otherwise put the watermark at "now" and drop all of them as late. After the grace, a read that
 * never gets a record still advances, so an empty topic cannot stall a job for good.
 *
 * <p>Records without a usable {@code ts} keep their Kafka timestamp; the parser dead-letters them.
 */
final class EventTimePolicy extends TimestampPolicy<byte[], byte[]> {
  /** How recently a partition must have delivered a record to pace the idle ones. */
  static final long RECENT = java.time.Duration.ofSeconds(10).toNanos();

  /** How long a read that has not seen any record yet holds its watermark back. */
  static final long STARTUP_GRACE = java.time.Duration.ofSeconds(60).toNanos();

  /** Per-partition progress shared by the policies of one read on one worker. */
  private static final Map<String, Map<TopicPartition, Progress>> CLOCKS =
      new ConcurrentHashMap<>();

  /** When each read's first policy was made on this worker (System.nanoTime). */
  private static final Map<String, Long> STARTED = new ConcurrentHashMap<>();

  private static final class Progress {
    volatile long newestEvent = Long.MIN_VALUE;
    volatile long lastRecordNanos = Long.MIN_VALUE;
  }

  private final Duration maxDelay;
  private final Map<TopicPartition, Progress> clock;
  private final Progress progress;
  private final long started;
  private final long startupGrace;
  private Instant watermark;

  EventTimePolicy(String clockId, TopicPartition tp, Duration maxDelay,
      Optional<Instant> previousWatermark) {
    this(clockId, tp, maxDelay, previousWatermark, STARTUP_GRACE);
  }

  EventTimePolicy(String clockId, TopicPartition tp, Duration maxDelay,
      Optional<Instant> previousWatermark, long startupGraceNanos) {
    this.startupGrace = startupGraceNanos;
    this.maxDelay = maxDelay;
    this.clock = CLOCKS.computeIfAbsent(clockId, id -> new ConcurrentHashMap<>());
    this.progress = clock.computeIfAbsent(tp, p -> new Progress());
    this.started = STARTED.computeIfAbsent(clockId, id -> System.nanoTime());
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

  /**
   * A caught-up partition: the slowest partition that delivered a record recently (itself
   * included), as events may run behind the wall clock (a replay of past events) or ahead of it
   * (accelerated); when all are quiet, the wall clock (after the start-up grace if none ever
   * delivered).
   */
  private long idleWatermark(long checkTime) {
    long now = System.nanoTime();
    long slowestActive = Long.MAX_VALUE;
    boolean anyRecord = false;
    for (Progress p : clock.values()) {
      anyRecord |= p.lastRecordNanos != Long.MIN_VALUE;
      if (p.lastRecordNanos != Long.MIN_VALUE && now - p.lastRecordNanos < RECENT) {
        slowestActive = Math.min(slowestActive, p.newestEvent);
      }
    }
    if (slowestActive != Long.MAX_VALUE) {
      return slowestActive - maxDelay.getMillis();
    }
    if (!anyRecord && now - started < startupGrace) {
      return Long.MIN_VALUE;
    }
    return checkTime - maxDelay.getMillis();
  }

}
