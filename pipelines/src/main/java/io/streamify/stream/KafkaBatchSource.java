package io.streamify.stream;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaRecordCoder;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Instant;

/**
 * Kafka as an unbounded source whose elements are whole polls: one element is the list of records
 * one {@code poll} returned. This is the local read path (see {@link ReadEventTopics}): the
 * DirectRunner evaluates an unbounded source at most ten elements per bundle, which caps a
 * record-per-element read such as KafkaIO's at a few thousand records a second; with a poll per
 * element the same ten elements carry tens of thousands of records.
 *
 * <p>Semantics match the KafkaIO read it stands in for: event time and watermark from the same
 * {@link TimestampPolicyFactory} (so {@link EventTimePolicy} decides both), one split per group of
 * partitions, positions resumed from the checkpoint, else the consumer group's committed offsets,
 * else {@code auto.offset.reset}. The read commits nothing: {@link CommitWrittenOffsets} commits
 * once the records are written. A batch's timestamp is the earliest event time in it; {@link
 * ParseKafkaRecords} regroups the records by window.
 */
final class KafkaBatchSource
    extends UnboundedSource<List<KafkaRecord<byte[], byte[]>>, KafkaBatchSource.Checkpoint> {
  /** Keys and values may be null (a producer without keys, a tombstone): never a crash. */
  static final Coder<byte[]> BYTES = NullableCoder.of(ByteArrayCoder.of());

  static final Coder<List<KafkaRecord<byte[], byte[]>>> BATCH_CODER =
      ListCoder.of(KafkaRecordCoder.of(BYTES, BYTES));
  private static final Duration POLL = Duration.ofMillis(20);

  private final Map<String, Object> consumerConfig;
  private final List<String> topics;
  private final TimestampPolicyFactory<byte[], byte[]> policies;
  private final int maxBatch;

  /** The partitions of this split; empty before {@link #split}. */
  private final List<TopicPartition> partitions;

  /**
   * @param consumerConfig bootstrap servers, group id, offset reset and any client settings
   * @param maxBatch the most records one element carries, unless the consumer settings give {@code
   *     max.poll.records}
   */
  KafkaBatchSource(
      Map<String, Object> consumerConfig,
      List<String> topics,
      TimestampPolicyFactory<byte[], byte[]> policies,
      int maxBatch) {
    this(consumerConfig, topics, policies, maxBatch, List.of());
  }

  private KafkaBatchSource(
      Map<String, Object> consumerConfig,
      List<String> topics,
      TimestampPolicyFactory<byte[], byte[]> policies,
      int maxBatch,
      List<TopicPartition> partitions) {
    this.consumerConfig = new HashMap<>(consumerConfig);
    this.topics = List.copyOf(topics);
    this.policies = policies;
    this.maxBatch = maxBatch;
    this.partitions = List.copyOf(partitions);
  }

  @Override
  public List<KafkaBatchSource> split(int desiredNumSplits, PipelineOptions options) {
    if (!partitions.isEmpty()) {
      return List.of(this);
    }
    List<TopicPartition> all = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      for (String topic : topics) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
          throw new IllegalStateException(
              "Kafka topic "
                  + topic
                  + " does not exist at "
                  + consumerConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
        }
        for (PartitionInfo info : infos) {
          all.add(new TopicPartition(info.topic(), info.partition()));
        }
      }
    }
    all.sort(
        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
    int n = Math.max(1, Math.min(desiredNumSplits, all.size()));
    List<List<TopicPartition>> groups = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      groups.add(new ArrayList<>());
    }
    for (int i = 0; i < all.size(); i++) {
      groups.get(i % n).add(all.get(i));
    }
    List<KafkaBatchSource> splits = new ArrayList<>();
    for (List<TopicPartition> group : groups) {
      splits.add(new KafkaBatchSource(consumerConfig, topics, policies, maxBatch, group));
    }
    return splits;
  }

  @Override
  public Reader createReader(PipelineOptions options, Checkpoint checkpoint) {
    if (partitions.isEmpty()) {
      throw new IllegalStateException("read from an unsplit KafkaBatchSource");
    }
    return new Reader(this, checkpoint);
  }

  @Override
  public Coder<Checkpoint> getCheckpointMarkCoder() {
    return SerializableCoder.of(Checkpoint.class);
  }

  @Override
  public Coder<List<KafkaRecord<byte[], byte[]>>> getOutputCoder() {
    return BATCH_CODER;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Map<String, Object> config = new HashMap<>(consumerConfig);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxBatch);
    config.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20);
    return new KafkaConsumer<>(
        KafkaSecrets.resolve(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Where a split stands: per partition, the next offset to read and the watermark reached. */
  static final class Checkpoint implements UnboundedSource.CheckpointMark, Serializable {
    private final LinkedHashMap<TopicPartition, long[]> positions;

    Checkpoint(LinkedHashMap<TopicPartition, long[]> positions) {
      this.positions = positions;
    }

    long nextOffset(TopicPartition tp) {
      long[] p = positions.get(tp);
      return p == null ? -1 : p[0];
    }

    Optional<Instant> watermark(TopicPartition tp) {
      long[] p = positions.get(tp);
      return p == null ? Optional.empty() : Optional.of(new Instant(p[1]));
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Checkpoint c) || !c.positions.keySet().equals(positions.keySet())) {
        return false;
      }
      return positions.entrySet().stream()
          .allMatch(e -> Arrays.equals(e.getValue(), c.positions.get(e.getKey())));
    }

    @Override
    public int hashCode() {
      return positions.keySet().hashCode();
    }

    @Override
    public void finalizeCheckpoint() {
      // Nothing to commit here: offsets are committed once the records are written.
    }
  }

  /** Reads the partitions of one split; one element per non-empty poll. */
  static final class Reader extends UnboundedReader<List<KafkaRecord<byte[], byte[]>>> {
    private final KafkaBatchSource source;
    private final Map<TopicPartition, PartitionState> states = new LinkedHashMap<>();
    private KafkaConsumer<byte[], byte[]> consumer;
    private List<KafkaRecord<byte[], byte[]>> current;
    private Instant currentTimestamp;

    private static final class PartitionState extends TimestampPolicy.PartitionContext {
      final TimestampPolicy<byte[], byte[]> policy;
      long nextOffset;
      long backlog = Long.MAX_VALUE;
      Instant checkTime = Instant.now();

      PartitionState(TimestampPolicy<byte[], byte[]> policy, long nextOffset) {
        this.policy = policy;
        this.nextOffset = nextOffset;
      }

      @Override
      public long getMessageBacklog() {
        return backlog;
      }

      @Override
      public Instant getBacklogCheckTime() {
        return checkTime;
      }
    }

    Reader(KafkaBatchSource source, Checkpoint checkpoint) {
      this.source = source;
      for (TopicPartition tp : source.partitions) {
        Optional<Instant> watermark =
            checkpoint == null ? Optional.empty() : checkpoint.watermark(tp);
        long next = checkpoint == null ? -1 : checkpoint.nextOffset(tp);
        states.put(
            tp, new PartitionState(source.policies.createTimestampPolicy(tp, watermark), next));
      }
    }

    @Override
    public boolean start() throws IOException {
      consumer = source.consumer();
      consumer.assign(states.keySet());
      states.forEach(
          (tp, s) -> {
            if (s.nextOffset >= 0) {
              consumer.seek(tp, s.nextOffset);
            }
          });
      return advance();
    }

    @Override
    public boolean advance() throws IOException {
      ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);
      Instant now = Instant.now();
      for (var e : states.entrySet()) {
        OptionalLong lag = consumer.currentLag(e.getKey());
        e.getValue().backlog = lag.isPresent() ? lag.getAsLong() : Long.MAX_VALUE;
        e.getValue().checkTime = now;
      }
      if (polled.isEmpty()) {
        current = null;
        return false;
      }
      List<KafkaRecord<byte[], byte[]>> batch = new ArrayList<>(polled.count());
      long earliest = Long.MAX_VALUE;
      for (ConsumerRecord<byte[], byte[]> r : polled) {
        KafkaRecord<byte[], byte[]> record =
            new KafkaRecord<>(
                r.topic(),
                r.partition(),
                r.offset(),
                r.timestamp(),
                KafkaTimestampType.forOrdinal(r.timestampType().ordinal()),
                r.headers(),
                r.key(),
                r.value());
        PartitionState s = states.get(new TopicPartition(r.topic(), r.partition()));
        earliest = Math.min(earliest, s.policy.getTimestampForRecord(s, record).getMillis());
        s.nextOffset = r.offset() + 1;
        batch.add(record);
      }
      current = batch;
      currentTimestamp = new Instant(earliest);
      return true;
    }

    @Override
    public List<KafkaRecord<byte[], byte[]>> getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return currentTimestamp;
    }

    @Override
    public Instant getWatermark() {
      Instant min = null;
      for (PartitionState s : states.values()) {
        Instant w = s.policy.getWatermark(s);
        if (min == null || w.isBefore(min)) {
          min = w;
        }
      }
      return min;
    }

    @Override
    public Checkpoint getCheckpointMark() {
      LinkedHashMap<TopicPartition, long[]> positions = new LinkedHashMap<>();
      states.forEach(
          (tp, s) ->
              positions.put(tp, new long[] {s.nextOffset, s.policy.getWatermark(s).getMillis()}));
      return new Checkpoint(positions);
    }

    @Override
    public KafkaBatchSource getCurrentSource() {
      return source;
    }

    @Override
    public void close() {
      if (consumer != null) {
        consumer.close(Duration.ofSeconds(5));
        consumer = null;
      }
    }
  }
}
