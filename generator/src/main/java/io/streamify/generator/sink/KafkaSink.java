package io.streamify.generator.sink;

import io.streamify.generator.config.ConfigException;
import io.streamify.generator.events.Topic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends each record to its topic with an idempotent producer, keyed by userId (or sessionId for
 * anonymous users) so a user's events stay in order on one partition. Missing topics are created
 * first; a broker that does not answer within the connect timeout is a clear error, not a hang.
 */
public final class KafkaSink implements EventSink {
  /** Kafka client settings and topic layout. */
  public record Settings(
      String bootstrapServers,
      String topicPrefix,
      int partitions,
      short replicationFactor,
      Map<String, String> clientProperties,
      long connectTimeoutMs) {}

  private final KafkaProducer<byte[], byte[]> producer;
  private final Map<Topic, String> names = new EnumMap<>(Topic.class);
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final String bootstrap;

  public KafkaSink(Settings settings, Set<Topic> topics) {
    this.bootstrap = settings.bootstrapServers();
    for (Topic t : topics) {
      names.put(t, settings.topicPrefix() + t.topicName());
    }
    ensureTopics(settings, new ArrayList<>(names.values()));
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L * 1024 * 1024));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(settings.connectTimeoutMs()));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "streamify-generator");
    p.putAll(settings.clientProperties());
    producer =
        clientOrExplain(
            s -> new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer()),
            settings);
  }

  /**
   * Creates a Kafka client, turning the client library's refusal of the settings into one line: a
   * value Kafka rejects (a malformed or unresolvable bootstrap address, a bad property) is the
   * user's setting ({@link ConfigException}, exit 2).
   */
  private static <T> T clientOrExplain(
      java.util.function.Function<Settings, T> create, Settings s) {
    try {
      return create.apply(s);
    } catch (org.apache.kafka.common.KafkaException e) {
      Throwable cause = e;
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      throw new ConfigException(
          "Kafka refuses the settings for "
              + s.bootstrapServers()
              + ": "
              + String.valueOf(cause.getMessage()).lines().findFirst().orElse(""));
    }
  }

  /**
   * Creates the topics that are missing and waits until every partition has a leader (also for
   * {@code streamify local}, which creates them before the stream pipeline subscribes).
   *
   * @throws KafkaUnavailableException when the broker does not answer, or does not create the
   *     topics or elect their leaders, within the connect timeout (a failed run: exit 1)
   * @throws ConfigException when the broker refuses a topic (its name or replication): the user's
   *     settings (exit 2)
   */
  public static void ensureTopics(Settings s, List<String> topics) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.put(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        Long.toString(Math.min(5000, s.connectTimeoutMs())));
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(s.connectTimeoutMs()));
    p.putAll(s.clientProperties());
    try (Admin admin = clientOrExplain(x -> Admin.create(p), s)) {
      try {
        admin.describeCluster().nodes().get(s.connectTimeoutMs(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        throw new KafkaUnavailableException(
            "cannot reach Kafka at "
                + s.bootstrapServers()
                + " (no answer"
                + " within "
                + s.connectTimeoutMs() / 1000
                + " s); is the broker running?");
      }
      List<NewTopic> wanted = new ArrayList<>();
      for (String t : topics) {
        wanted.add(new NewTopic(t, s.partitions(), s.replicationFactor()));
      }
      for (var e : admin.createTopics(wanted).values().entrySet()) {
        try {
          e.getValue().get(s.connectTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException ex) {
          if (!(ex.getCause() instanceof TopicExistsException)) {
            throw new ConfigException(
                "cannot create topic "
                    + e.getKey()
                    + " on "
                    + s.bootstrapServers()
                    + ": "
                    + ex.getCause().getMessage());
          }
        } catch (TimeoutException ex) {
          throw new KafkaUnavailableException(
              "Kafka at "
                  + s.bootstrapServers()
                  + " did not create topic "
                  + e.getKey()
                  + " in time");
        }
      }
      awaitLeaders(admin, s, topics);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while connecting to Kafka");
    }
  }

  /**
   * Waits until every partition's leader serves requests. A just-created partition can refuse a
   * first produce request (NOT_LEADER) and accept the next one; the idempotent producer then
   * retries the first until it expires (KAFKA-15591). A ListOffsets answer comes from the leader
   * itself, so once all partitions answer one, no produce request can hit that window.
   */
  private static void awaitLeaders(Admin admin, Settings s, List<String> topics)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + s.connectTimeoutMs();
    Map<TopicPartition, OffsetSpec> pending = new HashMap<>();
    while (true) {
      try {
        if (pending.isEmpty()) {
          for (var d :
              admin
                  .describeTopics(topics)
                  .allTopicNames()
                  .get(s.connectTimeoutMs(), TimeUnit.MILLISECONDS)
                  .values()) {
            for (var info : d.partitions()) {
              pending.put(new TopicPartition(d.name(), info.partition()), OffsetSpec.latest());
            }
          }
        }
        admin.listOffsets(pending).all().get(s.connectTimeoutMs(), TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        if (System.currentTimeMillis() > deadline) {
          throw new KafkaUnavailableException(
              "Kafka at "
                  + s.bootstrapServers()
                  + " has no leader for "
                  + "some partitions of "
                  + topics
                  + " after "
                  + s.connectTimeoutMs() / 1000
                  + " s");
        }
        Thread.sleep(100);
      }
    }
  }

  @Override
  public void write(Topic topic, long key, long ts, byte[] bytes, int offset, int length)
      throws IOException {
    check();
    // Kafka values carry no trailing newline.
    byte[] value = Arrays.copyOfRange(bytes, offset, offset + length - 1);
    byte[] k = Long.toString(key).getBytes(StandardCharsets.UTF_8);
    try {
      producer.send(
          new ProducerRecord<>(names.get(topic), null, ts, k, value),
          (md, ex) -> {
            if (ex != null) {
              failure.compareAndSet(null, ex);
            }
          });
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new IOException(
          "Kafka at " + bootstrap + " stopped accepting records: " + e.getMessage(), e);
    }
  }

  private void check() throws IOException {
    Exception e = failure.get();
    if (e != null) {
      throw new IOException("Kafka at " + bootstrap + " rejected a record: " + e.getMessage(), e);
    }
  }

  @Override
  public void flush() throws IOException {
    producer.flush();
    check();
  }

  @Override
  public void close() throws IOException {
    try {
      producer.flush();
    } finally {
      producer.close(java.time.Duration.ofSeconds(30));
    }
    check();
  }
}
