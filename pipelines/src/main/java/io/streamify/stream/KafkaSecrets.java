package io.streamify.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Kafka client settings kept in Secret Manager ({@code --kafkaPropertiesSecret}): the consumer
 * configuration carries only the secret's name under {@link #SECRET_KEY}, and the process that
 * creates a consumer (a worker, or the launcher for the rewind) reads the secret then, so SASL/TLS
 * credentials are never in the job's options, its graph, Terraform's state or the repository. The
 * secret holds one {@code key=value} per line (a Java properties file).
 */
public final class KafkaSecrets {
  /** The consumer-config key naming the secret version; removed before Kafka sees the config. */
  public static final String SECRET_KEY = "streamify.kafka.properties.secret";

  private static final Map<String, Map<String, String>> CACHE = new ConcurrentHashMap<>();

  private KafkaSecrets() {}

  /** The config with the secret's settings merged in (explicit settings win), key removed. */
  public static Map<String, Object> resolve(Map<String, Object> config) {
    return resolve(config, name -> CACHE.computeIfAbsent(name, KafkaSecrets::fetch));
  }

  static Map<String, Object> resolve(
      Map<String, Object> config, Function<String, Map<String, String>> secrets) {
    Object name = config.get(SECRET_KEY);
    Map<String, Object> out = new HashMap<>(config);
    out.remove(SECRET_KEY);
    if (name != null && !name.toString().isEmpty()) {
      secrets.apply(name.toString()).forEach(out::putIfAbsent);
    }
    return out;
  }

  /** KafkaIO's consumer factory: the default one, after resolving the secret. */
  public static Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
    return new KafkaConsumer<>(
        resolve(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Parses a secret's payload: a Java properties file. */
  static Map<String, String> parse(String payload) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(payload));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> out = new HashMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  /** The REST address that returns a secret version's payload. */
  static URI accessUri(String version) {
    if (!version.matches("projects/[^/]+/secrets/[^/]+/versions/[^/]+")) {
      throw new IllegalArgumentException(
          "--kafkaPropertiesSecret must be"
              + " projects/PROJECT/secrets/SECRET/versions/VERSION, got "
              + version);
    }
    return URI.create("https://secretmanager.googleapis.com/v1/" + version + ":access");
  }

  /** Reads a secret version with the application-default credentials (the worker's account). */
  static Map<String, String> fetch(String version) {
    try {
      GoogleCredentials credentials =
          GoogleCredentials.getApplicationDefault()
              .createScoped("https://www.googleapis.com/auth/cloud-platform");
      credentials.refreshIfExpired();
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(accessUri(version))
                      .header(
                          "Authorization", "Bearer " + credentials.getAccessToken().getTokenValue())
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException(
            "Secret Manager answered "
                + response.statusCode()
                + " for "
                + version
                + ": "
                + response.body());
      }
      JsonNode body = new ObjectMapper().readTree(response.body());
      return parse(
          new String(
              Base64.getDecoder().decode(body.path("payload").path("data").asText()),
              StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Kafka client settings from " + version, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + version, e);
    }
  }
}
