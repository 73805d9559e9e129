package io.streamify.local;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * What a Kafka broker holds per topic, as {@code streamify local}'s report and the benchmarks count
 * it.
 */
public final class KafkaOffsets {
  private KafkaOffsets() {}

  /** The events in each of the topics that exist: end offsets summed over partitions. */
  public static Map<String, Long> endOffsets(Admin admin, Collection<String> topics)
      throws Exception {
    Map<String, Long> sums = new TreeMap<>();
    var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    for (TopicDescription d :
        admin
            .describeTopics(topics.stream().filter(existing::contains).toList())
            .allTopicNames()
            .get(30, TimeUnit.SECONDS)
            .values()) {
      d.partitions()
          .forEach(
              tp -> specs.put(new TopicPartition(d.name(), tp.partition()), OffsetSpec.latest()));
    }
    admin
        .listOffsets(specs)
        .all()
        .get(30, TimeUnit.SECONDS)
        .forEach((tp, info) -> sums.merge(tp.topic(), info.offset(), Long::sum));
    return sums;
  }
}
