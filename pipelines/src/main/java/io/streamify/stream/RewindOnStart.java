package io.streamify.stream;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Makes a restart lose nothing. KafkaIO commits offsets when the runner has taken a record, which
 * is before its window's file is written; a job stopped without draining (Ctrl-C on the
 * DirectRunner, a cancel on Dataflow) loses what sat in open windows. So before a launch, each
 * partition's committed offset is moved back to the first record whose timestamp is at most
 * {@code rewind} older than the last committed record's. What was already written is written
 * again into new files (the launch id differs); the hourly job removes the duplicates.
 */
final class RewindOnStart {
  private RewindOnStart() {}

  /** Rewinds the group's committed offsets; returns the new offsets it set. */
  static Map<TopicPartition, Long> rewind(String bootstrap, Map<String, Object> clientProps,
      String group, Duration rewind) throws Exception {
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    Map<TopicPartition, Long> moved = new HashMap<>();
    try (Admin admin = Admin.create(props)) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
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
          OffsetAndTimestamp from = consumer.offsetsForTimes(
              Map.of(tp, last - rewind.toMillis())).get(tp);
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

  private static Long timestampAt(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp,
      long offset) {
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
