package io.streamify.stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The watermark of the Kafka read: a busy partition trails its newest event, a caught-up one
 * follows the busy ones, and before the first record a read waits for its start-up grace instead of
 * jumping to the wall clock (which would make replayed past events late).
 */
class EventTimePolicyTest {
  static final Duration DELAY = Duration.standardSeconds(15);
  static final EventTimePolicy.Settings SETTINGS =
      new EventTimePolicy.Settings(
          DELAY, Duration.standardMinutes(60), Duration.standardSeconds(10));
  static final long YESTERDAY = Instant.now().minus(Duration.standardDays(1)).getMillis();
  static final TopicPartition BUSY = new TopicPartition("listen_events", 0);
  static final TopicPartition IDLE = new TopicPartition("status_change_events", 0);

  static TimestampPolicy.PartitionContext backlog(long records) {
    return new TimestampPolicy.PartitionContext() {
      @Override
      public long getMessageBacklog() {
        return records;
      }

      @Override
      public Instant getBacklogCheckTime() {
        return Instant.now();
      }
    };
  }

  static KafkaRecord<byte[], byte[]> event(long ts) {
    return record(ts, ("{\"ts\":" + ts + ",\"sessionId\":1}").getBytes(StandardCharsets.UTF_8));
  }

  static KafkaRecord<byte[], byte[]> record(long kafkaTimestamp, byte[] value) {
    return new KafkaRecord<>(
        BUSY.topic(),
        0,
        0,
        kafkaTimestamp,
        KafkaTimestampType.CREATE_TIME,
        null,
        new byte[0],
        value);
  }

  @Test
  void beforeTheFirstRecordAnEmptyReadWaitsInsteadOfJumpingToTheWallClock() {
    String read = UUID.randomUUID().toString();
    long hour = 3_600_000_000_000L;
    EventTimePolicy idle = new EventTimePolicy(read, IDLE, SETTINGS, Optional.empty(), hour);
    EventTimePolicy busy = new EventTimePolicy(read, BUSY, SETTINGS, Optional.empty(), hour);

    assertThat(idle.getWatermark(backlog(0)), is(BoundedWindow.TIMESTAMP_MIN_VALUE));
    assertThat(busy.getWatermark(backlog(0)), is(BoundedWindow.TIMESTAMP_MIN_VALUE));

    // a producer replays yesterday: the watermark follows its events, not the wall clock
    assertThat(
        busy.getTimestampForRecord(backlog(5), event(YESTERDAY)), is(new Instant(YESTERDAY)));
    assertThat(busy.getWatermark(backlog(5)), is(new Instant(YESTERDAY).minus(DELAY)));
    assertThat(idle.getWatermark(backlog(0)), is(new Instant(YESTERDAY).minus(DELAY)));
    // caught up, while its records keep coming: still its events, not "now"
    busy.getTimestampForRecord(backlog(0), event(YESTERDAY + 60_000));
    assertThat(busy.getWatermark(backlog(0)), is(new Instant(YESTERDAY + 60_000).minus(DELAY)));
  }

  @Test
  void afterTheGraceAReadThatNeverGetsARecordFollowsTheWallClock() {
    String read = UUID.randomUUID().toString();
    EventTimePolicy idle = new EventTimePolicy(read, IDLE, SETTINGS, Optional.empty(), 0);
    long before = Instant.now().minus(DELAY).getMillis();
    long watermark = idle.getWatermark(backlog(0)).getMillis();
    assertThat(
        watermark >= before && watermark <= Instant.now().minus(DELAY).getMillis(), is(true));
  }

  @Test
  void aRecordBehindTheWatermarkIsStampedWithTheWatermarkNeverBehindIt() {
    String read = UUID.randomUUID().toString();
    EventTimePolicy busy = new EventTimePolicy(read, BUSY, SETTINGS, Optional.empty(), 0);
    busy.getTimestampForRecord(backlog(5), event(YESTERDAY + 3_600_000));
    Instant watermark = busy.getWatermark(backlog(5));
    assertThat(watermark, is(new Instant(YESTERDAY + 3_600_000).minus(DELAY)));
    // an hour older than the newest: behind the watermark, so it leaves the read at the watermark
    assertThat(busy.getTimestampForRecord(backlog(5), event(YESTERDAY)), is(watermark));
    // within the out-of-orderness bound it keeps its own time
    long recent = YESTERDAY + 3_600_000 - 5_000;
    assertThat(busy.getTimestampForRecord(backlog(5), event(recent)), is(new Instant(recent)));
  }

  @Test
  void aRecordDatedBeyondTheToleranceOrWithoutATimeMovesNothing() {
    String read = UUID.randomUUID().toString();
    EventTimePolicy busy = new EventTimePolicy(read, BUSY, SETTINGS, Optional.empty(), 0);
    long tomorrow = Instant.now().plus(Duration.standardDays(1)).getMillis();
    long kafkaTime = Instant.now().getMillis();
    byte[] future = ("{\"ts\":" + tomorrow + "}").getBytes(StandardCharsets.UTF_8);
    // before any watermark: stamped when Kafka got it, at most the tolerance ahead
    assertThat(
        busy.getTimestampForRecord(backlog(5), record(kafkaTime, future)),
        is(new Instant(kafkaTime)));
    long capped =
        busy.getTimestampForRecord(backlog(5), record(tomorrow, new byte[] {1})).getMillis();
    assertThat(
        capped <= Instant.now().plus(Duration.standardMinutes(60)).getMillis()
            && capped > kafkaTime,
        is(true));
    assertThat(busy.getWatermark(backlog(5)), is(BoundedWindow.TIMESTAMP_MIN_VALUE));

    busy.getTimestampForRecord(backlog(5), event(YESTERDAY));
    Instant watermark = busy.getWatermark(backlog(5));
    // then: stamped with the watermark (it arrives now, in event time), which stays
    assertThat(busy.getTimestampForRecord(backlog(5), record(kafkaTime, future)), is(watermark));
    assertThat(
        busy.getTimestampForRecord(backlog(5), record(tomorrow, new byte[] {1})), is(watermark));
    assertThat(busy.getWatermark(backlog(5)), is(watermark));
    // within the tolerance a future event is an event: it moves the watermark
    long soon = Instant.now().plus(Duration.standardMinutes(30)).getMillis();
    assertThat(busy.getTimestampForRecord(backlog(5), event(soon)), is(new Instant(soon)));
    assertThat(busy.getWatermark(backlog(5)), is(new Instant(soon).minus(DELAY)));
  }
}
