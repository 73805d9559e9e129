package io.streamify.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamify.generator.events.Topic;
import io.streamify.kafka.LocalKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka sink against a real broker: the same records as the file sink, keyed and ordered. */
class KafkaSinkTest {
  static LocalKafka kafka;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = LocalKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void kafkaGetsExactlyTheFileSinksRecordsKeyedByUserOrSession(@TempDir Path dir) throws Exception {
    String[] args = {
      "-n",
      "800",
      "--growth-rate",
      "30",
      "--seed",
      "3",
      "--start",
      "2026-11-24T10:00",
      "--end",
      "2026-11-24T16:00",
      "-q"
    };
    Generated files = Generated.run(dir, args);
    Generated.Result r =
        Generated.cli(
            DeterminismTest.with(
                args,
                "--sink",
                "kafka",
                "-b",
                kafka.bootstrapServers(),
                "--topic-prefix",
                "test.",
                "--partitions",
                "3"));
    assertThat(r.stderr(), r.exitCode(), is(0));

    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      for (Topic t : Topic.values()) {
        String topic = "test." + t.topicName();
        List<PartitionInfo> partitions = consumer.partitionsFor(topic);
        assertThat(topic, partitions.size(), is(3));
        List<ConsumerRecord<byte[], byte[]>> records = readAll(consumer, topic, partitions);
        List<String> expected =
            Files.readAllLines(dir.resolve(t.topicName() + ".jsonl"), StandardCharsets.UTF_8);
        assertThat(topic, records.size(), is(expected.size()));
        assertThat(
            topic + " has records",
            records.size(),
            greaterThan(t == Topic.STATUS_CHANGE ? -1 : 10));

        // Per key, the records arrive in the file's (time) order: a user's events stay in order.
        Map<String, List<String>> expectedByKey = new HashMap<>();
        for (String line : expected) {
          JsonNode e = Generated.JSON.readTree(line);
          String key = e.has("userId") ? e.get("userId").asText() : e.get("sessionId").asText();
          expectedByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(line);
        }
        Map<String, List<String>> actualByKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> rec : records) {
          String value = new String(rec.value(), StandardCharsets.UTF_8);
          JsonNode e = Generated.JSON.readTree(value);
          assertThat(rec.timestamp(), is(e.get("ts").asLong()));
          actualByKey
              .computeIfAbsent(
                  new String(rec.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
              .add(value);
        }
        assertThat(topic, actualByKey, equalTo(expectedByKey));
      }
    }
  }

  @Test
  void existingTopicsAreReused(@TempDir Path dir) throws Exception {
    String[] args = {
      "-q",
      "-n",
      "50",
      "--start",
      "2026-11-24T10:00",
      "--end",
      "2026-11-24T11:00",
      "--sink",
      "kafka",
      "-b",
      kafka.bootstrapServers(),
      "--topic-prefix",
      "again.",
      "--topics",
      "page_view_events",
      "--partitions",
      "2"
    };
    assertThat(Generated.cli(args).exitCode(), is(0));
    assertThat(Generated.cli(args).exitCode(), is(0));
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      assertThat(admin.listTopics().names().get().contains("again.page_view_events"), is(true));
      assertThat(admin.listTopics().names().get().contains("again.listen_events"), is(false));
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(
      KafkaConsumer<byte[], byte[]> c, String topic, List<PartitionInfo> infos) {
    List<TopicPartition> tps =
        infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    c.assign(tps);
    c.seekToBeginning(tps);
    Map<TopicPartition, Long> end = c.endOffsets(tps);
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 60_000;
    while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
        && System.currentTimeMillis() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
        out.add(r);
      }
    }
    return out;
  }
}
