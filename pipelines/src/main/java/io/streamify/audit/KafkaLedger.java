package io.streamify.audit;

import io.streamify.events.EventTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What Kafka holds, for an audit: per partition the range of offsets to account for, the consumer
 * group's committed offset, and, for offsets the lake lacks, the records themselves.
 */
final class KafkaLedger implements AutoCloseable {
  /** The offsets of one partition an audit accounts for: [start, end). */
  record Range(TopicPartition partition, long start, long end, Optional<Long> committed) {}

  private final Properties props;
  private final Admin admin;

  KafkaLedger(String bootstrapServers, Map<String, String> clientProperties) {
    props = new Properties();
    props.putAll(clientProperties);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    admin = Admin.create(props);
  }

  /**
   * Every partition of the topics that exist: from the log start, or the first record produced at
   * or after {@code fromMillis}, to the end, or the first record produced after {@code toMillis}
   * (Kafka's record timestamps).
   */
  List<Range> ranges(
      List<String> topics,
      Optional<String> group,
      Optional<Long> fromMillis,
      Optional<Long> toMillis)
      throws Exception {
    Set<String> existing = topics(topics);
    List<TopicPartition> partitions = new ArrayList<>();
    for (TopicDescription d :
        admin
            .describeTopics(topics.stream().filter(existing::contains).toList())
            .allTopicNames()
            .get(30, TimeUnit.SECONDS)
            .values()) {
      d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition())));
    }
    Map<TopicPartition, Long> earliest = offsets(partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> latest = offsets(partitions, OffsetSpec.latest());
    Map<TopicPartition, Long> from =
        fromMillis.isPresent()
            ? offsets(partitions, OffsetSpec.forTimestamp(fromMillis.get()))
            : Map.of();
    Map<TopicPartition, Long> to =
        toMillis.isPresent()
            ? offsets(partitions, OffsetSpec.forTimestamp(toMillis.get()))
            : Map.of();
    Map<TopicPartition, OffsetAndMetadata> committed =
        group.isPresent()
            ? admin
                .listConsumerGroupOffsets(group.get())
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS)
            : Map.of();
    List<Range> ranges = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      long start = Math.max(earliest.get(tp), from.getOrDefault(tp, -1L));
      long end =
          to.getOrDefault(tp, -1L) >= 0 ? Math.min(latest.get(tp), to.get(tp)) : latest.get(tp);
      if (fromMillis.isPresent() && from.getOrDefault(tp, -1L) < 0) {
        start = end; // nothing produced since
      }
      OffsetAndMetadata c = committed.get(tp);
      ranges.add(
          new Range(
              tp,
              start,
              Math.max(start, end),
              c == null ? Optional.empty() : Optional.of(c.offset())));
    }
    ranges.sort((a, b) -> a.partition().toString().compareTo(b.partition().toString()));
    return ranges;
  }

  /** Which of these topics exist. */
  Set<String> topics(List<String> topics) throws Exception {
    Set<String> existing = new TreeSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
    existing.retainAll(topics);
    return existing;
  }

  private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
      throws Exception {
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    partitions.forEach(tp -> specs.put(tp, spec));
    Map<TopicPartition, Long> out = new HashMap<>();
    for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e :
        admin.listOffsets(specs).all().get(60, TimeUnit.SECONDS).entrySet()) {
      out.put(e.getKey(), e.getValue().offset());
    }
    return out;
  }

  /** A record the lake lacks, as Kafka has it: its event time (or MIN) and a short excerpt. */
  record Missing(long offset, long eventTime, String excerpt) {}

  /**
   * What Kafka holds at offsets the lake lacks: the records read back, and the offsets that are no
   * record for a read_committed reader (a transaction's markers, aborted or compacted records),
   * which the fetch passed over. Offsets in neither could not be read in time.
   */
  record Fetched(Map<Long, Missing> records, Set<Long> noRecord) {}

  /**
   * Reads the given offsets of a partition (at most a few thousand are asked for), as the stream
   * job reads them: only committed transactions, unless the client properties say otherwise.
   */
  Fetched fetch(TopicPartition tp, List<Long> offsets) {
    Map<Long, Missing> out = new TreeMap<>();
    Set<Long> noRecord = new TreeSet<>();
    if (offsets.isEmpty()) {
      return new Fetched(out, noRecord);
    }
    Properties c = new Properties();
    c.putAll(props);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    c.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      Set<Long> wanted = new HashSet<>(offsets);
      long last = offsets.stream().mapToLong(Long::longValue).max().getAsLong();
      consumer.seek(tp, offsets.stream().mapToLong(Long::longValue).min().getAsLong());
      long deadline = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() < deadline && !wanted.isEmpty()) {
        var records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          if (wanted.remove(r.offset())) {
            byte[] v = r.value();
            String text =
                v == null
                    ? "(no value)"
                    : new String(v, 0, Math.min(v.length, 120), StandardCharsets.UTF_8);
            out.put(
                r.offset(),
                new Missing(r.offset(), v == null ? Long.MIN_VALUE : EventTime.of(v), text));
          }
          // Offsets below a record read, not returned themselves, hold no record (markers,
          // aborted or compacted records).
          for (Iterator<Long> i = wanted.iterator(); i.hasNext(); ) {
            long o = i.next();
            if (o < r.offset()) {
              noRecord.add(o);
              i.remove();
            }
          }
          if (r.offset() >= last) {
            wanted.clear();
          }
        }
        long position = consumer.position(tp, Duration.ofSeconds(5));
        for (Iterator<Long> i = wanted.iterator(); i.hasNext(); ) {
          long o = i.next();
          if (o < position) {
            noRecord.add(o); // passed over without a record
            i.remove();
          }
        }
      }
    }
    return new Fetched(out, noRecord);
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
