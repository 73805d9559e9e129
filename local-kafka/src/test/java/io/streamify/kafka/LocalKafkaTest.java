package io.streamify.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaTest {

  @Test
  void brokerAcceptsAndServesRecordsAndKeepsThemAcrossARestart(@TempDir Path dir) throws Exception {
    try (LocalKafka kafka = LocalKafka.start(0, dir, 2)) {
      assertThat(kafka.bootstrapServers(), startsWith("127.0.0.1:"));
      produce(kafka.bootstrapServers(), "a", "b", "c");
      assertThat(consumeAll(kafka.bootstrapServers(), 3), contains("a", "b", "c"));
    }
    assertThat(Files.exists(dir.resolve("kraft-logs/meta.properties")), is(true));
    // The same data folder again: the broker comes back with the records it had.
    try (LocalKafka kafka = LocalKafka.start(0, dir, 2)) {
      assertThat(consumeAll(kafka.bootstrapServers(), 3), contains("a", "b", "c"));
    }
  }

  @Test
  void temporaryDataFolderIsDeletedOnClose() throws Exception {
    Path data;
    try (LocalKafka kafka = LocalKafka.start()) {
      data = kafka.dataDir();
      assertThat(Files.isDirectory(data), is(true));
    }
    assertThat(Files.exists(data), is(false));
  }

  @Test
  void brokerStopsWhenItsOwnerIsKilled() throws Exception {
    Process owner =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                BrokerOwner.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    long brokerPid;
    try (var lines =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                owner.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      brokerPid = Long.parseLong(lines.readLine().trim());
    }
    ProcessHandle broker = ProcessHandle.of(brokerPid).orElseThrow();
    assertThat(broker.isAlive(), is(true));
    owner.destroyForcibly().waitFor(); // SIGKILL: the owner's shutdown hooks do not run
    broker.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(broker.isAlive(), is(false));
  }

  /** Starts a broker, prints its pid, waits to be killed. */
  public static final class BrokerOwner {
    public static void main(String[] args) throws Exception {
      LocalKafka kafka = LocalKafka.start();
      System.out.println(kafka.pid());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  private static void produce(String bootstrap, String... values) throws Exception {
    Map<String, Object> cfg = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(cfg, new StringSerializer(), new StringSerializer())) {
      for (String v : values) {
        // One key: one partition, so order is kept.
        p.send(new ProducerRecord<>("t", "k", v)).get();
      }
    }
  }

  private static List<String> consumeAll(String bootstrap, int expected) {
    Map<String, Object> cfg =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG,
            "test-" + System.nanoTime(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(cfg, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of("t"));
      long deadline = System.currentTimeMillis() + 30_000;
      while (out.size() < expected && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
          out.add(r.value());
        }
      }
    }
    return out;
  }
}
