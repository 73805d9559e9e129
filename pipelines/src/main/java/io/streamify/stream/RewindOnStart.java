package io.streamify.stream;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Sets a consumer group's committed offsets before a launch. {@link #commitStartPositions}: a
 * partition without a committed offset gets the one {@code --startOffsets} names, so that the read
 * and {@link CommitWrittenOffsets} start from the same place. {@link #rewind}: each partition's
 * committed offset moved back to the first record whose timestamp is at most {@code rewind} older
 * than the last committed record's, to read again what the lake already holds (offsets are
 * committed only once the records are written, so no restart needs it; it remains for re-reading on
 * purpose). What is read again is written again into new files (the launch id differs); the hourly
 * job removes the duplicates.
 */
final class RewindOnStart {
  private RewindOnStart() {}

  /**
   * Commits, for every partition of the topics that has no committed offset in the group, the
   * position a new reader would start at: the log start ({@code earliest}) or its end ({@code
   * latest}). Returns what it committed. The group must have no active member (as when the job is
   * not running).
   */
  static Map<TopicPartition, Long> commitStartPositions(
      String bootstrap,
      Map<String, Object> clientProps,
      String group,
      List<String> topics,
      String startOffsets)
      throws Exception {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    Map<TopicPartition, Long> set = new HashMap<>();
    try (Admin admin = Admin.create(props)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
      for (var d :
          admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
        for (var p : d.partitions()) {
          TopicPartition tp = new TopicPartition(d.name(), p.partition());
          if (committed.get(tp) == null) {
            specs.put(
                tp, startOffsets.equals("latest") ? OffsetSpec.latest() : OffsetSpec.earliest());
          }
        }
      }
      if (specs.isEmpty()) {
        return set;
      }
      admin
          .listOffsets(specs)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> set.put(tp, info.offset()));
      Map<TopicPartition, OffsetAndMetadata> update = new HashMap<>();
      set.forEach((tp, o) -> update.put(tp, new OffsetAndMetadata(o)));
      admin.alterConsumerGroupOffsets(group, update).all().get(30, TimeUnit.SECONDS);
    }
    return set;
  }

  /** Rewinds the group's committed offsets; returns the new offsets it set. */
  static Map<TopicPartition, Long> rewind(
      String bootstrap, Map<String, Object> clientProps, String group, Duration rewind)
      throws Exception {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    Map<TopicPartition, Long> moved = new HashMap<>();
    try (Admin admin = Admin.create(props)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      Properties c = new Properties();
      c.putAll(props);
      c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
          if (e.getValue() == null || e.getValue().offset() <= 0) {
            continue;
          }
          TopicPartition tp = e.getKey();
          long offset = e.getValue().offset();
          Long last = timestampAt(consumer, tp, offset - 1);
          if (last == null) {
            continue;
          }
          OffsetAndTimestamp from =
              consumer.offsetsForTimes(Map.of(tp, last - rewind.toMillis())).get(tp);
          if (from != null && from.offset() < offset) {
            moved.put(tp, from.offset());
          }
        }
      }
      if (!moved.isEmpty()) {
        Map<TopicPartition, OffsetAndMetadata> update = new HashMap<>();
        moved.forEach((tp, o) -> update.put(tp, new OffsetAndMetadata(o)));
        admin.alterConsumerGroupOffsets(group, update).all().get(30, TimeUnit.SECONDS);
      }
    }
    return moved;
  }

  private static Long timestampAt(
      KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long offset) {
    consumer.assign(List.of(tp));
    consumer.seek(tp, offset);
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
        if (r.offset() >= offset) {
          return r.timestamp();
        }
      }
    }
    return null; // the record is gone (retention): nothing to rewind to
  }
}
