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
 * <p><b>Never behind the watermark.</b> A record's element timestamp is its event time, or the
 * partition's watermark when the event time is behind it (a replay after a pause, a producer
 * catching up): no element ever leaves the read behind the watermark, so the runner can drop none
 * of them as late. {@link ParseKafkaRecords} compares each record's own event time with that
 * element timestamp and routes a record whose window has expired to an arrival file of its hour
 * (docs/delivery.md).
 *
 * <p><b>The future does not move the watermark.</b> Only a usable {@code ts} at most {@code
 * maxAhead} ahead of the wall clock advances it; a record dated further ahead (the parser
 * dead-letters it as {@code ts_in_future}), or without a usable {@code ts}, is stamped with the
 * partition's watermark (before there is one, with its Kafka timestamp, at most the tolerance
 * ahead) and moves nothing.
 *
 * <p><b>Idle partitions.</b> A caught-up partition must not hold the others back (Beam issue
 * #20908: Beam's CustomTimestampPolicyWithLimitedDelay pins a partition that has delivered nothing
 * at the minimum until its first record, and with four topics some partition is nearly always
 * quiet). Here a caught-up partition follows the slowest partition that delivered a record within
 * the idle timeout (on this worker, itself included), or, when none did, the wall clock minus the
 * delay. So an idle topic neither stalls windows nor races ahead of the busy ones, also when the
 * events' time runs ahead of the wall clock (the generator's accelerated mode) or behind it (a
 * replay of past events).
 *
 * <p>Until the read has seen its first record, the wall-clock fallback waits for a start-up grace
 * ({@link #STARTUP_GRACE}): a pipeline started on empty topics, just before a producer that replays
 * past events (the generator's historical and accelerated modes, {@code streamify local}), would
 * otherwise put the watermark at "now" and send all of them to arrival files. After the grace, a
 * read that never gets a record still advances, so an empty topic cannot stall a job for good.
 */
final class EventTimePolicy extends TimestampPolicy<byte[], byte[]> {
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

  /** The policy's settings: all durations, none of them negative. */
  record Settings(Duration maxDelay, Duration maxAhead, Duration idleTimeout)
      implements Serializable {}

  private final Settings settings;
  private final Map<TopicPartition, Progress> clock;
  private final Progress progress;
  private final long started;
  private final long startupGrace;
  private Instant watermark;

  EventTimePolicy(
      String clockId, TopicPartition tp, Settings settings, Optional<Instant> previousWatermark) {
    this(clockId, tp, settings, previousWatermark, STARTUP_GRACE);
  }

  EventTimePolicy(
      String clockId,
      TopicPartition tp,
      Settings settings,
      Optional<Instant> previousWatermark,
      long startupGraceNanos) {
    this.startupGrace = startupGraceNanos;
    this.settings = settings;
    this.clock = CLOCKS.computeIfAbsent(clockId, id -> new ConcurrentHashMap<>());
    this.progress = clock.computeIfAbsent(tp, p -> new Progress());
    this.started = STARTED.computeIfAbsent(clockId, id -> System.nanoTime());
    this.watermark = previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  static TimestampPolicyFactory<byte[], byte[]> factory(Settings settings) {
    return new Factory(UUID.randomUUID().toString(), settings);
  }

  private static final class Factory
      implements TimestampPolicyFactory<byte[], byte[]>, Serializable {
    private final String clockId;
    private final Settings settings;

    Factory(String clockId, Settings settings) {
      this.clockId = clockId;
      this.settings = settings;
    }

    @Override
    public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
        TopicPartition tp, Optional<Instant> previousWatermark) {
      return new EventTimePolicy(clockId, tp, settings, previousWatermark);
    }
  }

  /**
   * A record's usable event time: its JSON {@code ts} when that is in the parser's range and at
   * most {@code maxAheadMillis} after {@code nowMillis}; otherwise {@link Long#MIN_VALUE}.
   */
  static long usableEventTime(
      KafkaRecord<byte[], byte[]> record, long nowMillis, long maxAheadMillis) {
    long ts = EventTime.of(record.getKV().getValue());
    if (ts < EventParser.MIN_TS || ts >= EventParser.MAX_TS || ts - maxAheadMillis > nowMillis) {
      return Long.MIN_VALUE;
    }
    return ts;
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
    long now = System.currentTimeMillis();
    long ahead = settings.maxAhead().getMillis();
    long ts = usableEventTime(record, now, ahead);
    if (ts != Long.MIN_VALUE) {
      if (ts > progress.newestEvent) {
        progress.newestEvent = ts;
      }
      progress.lastRecordNanos = System.nanoTime();
    } else if (watermark.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
      // No usable event time: a dead letter to be. It arrives now, in event-time terms.
      return watermark;
    } else {
      // Before any watermark: when Kafka got it, within the accepted future.
      ts =
          Math.min(
              Math.max(record.getTimestamp(), BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()),
              now + ahead);
    }
    return new Instant(Math.max(ts, watermark.getMillis()));
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    long candidate;
    if (ctx.getMessageBacklog() == 0) {
      candidate = idleWatermark(ctx.getBacklogCheckTime().getMillis());
    } else {
      candidate =
          progress.newestEvent == Long.MIN_VALUE
              ? Long.MIN_VALUE
              : progress.newestEvent - settings.maxDelay().getMillis();
    }
    if (candidate > watermark.getMillis()) {
      watermark = new Instant(candidate);
    }
    return watermark;
  }

  /**
   * A caught-up partition: the slowest partition that delivered a record within the idle timeout
   * (itself included), as events may run behind the wall clock (a replay of past events) or ahead
   * of it (accelerated); when all are quiet, the wall clock (after the start-up grace if none ever
   * delivered).
   */
  private long idleWatermark(long checkTime) {
    long now = System.nanoTime();
    long idle = settings.idleTimeout().getMillis() * 1_000_000L;
    long slowestActive = Long.MAX_VALUE;
    boolean anyRecord = false;
    for (Progress p : clock.values()) {
      anyRecord |= p.lastRecordNanos != Long.MIN_VALUE;
      if (p.lastRecordNanos != Long.MIN_VALUE && now - p.lastRecordNanos < idle) {
        slowestActive = Math.min(slowestActive, p.newestEvent);
      }
    }
    if (slowestActive != Long.MAX_VALUE) {
      return slowestActive - settings.maxDelay().getMillis();
    }
    if (!anyRecord && now - started < startupGrace) {
      return Long.MIN_VALUE;
    }
    return checkTime - settings.maxDelay().getMillis();
  }
}
