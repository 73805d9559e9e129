package io.streamify.generator.sink;

/**
 * Kafka did not answer in time: the broker is down, unreachable or still starting. Not the user's
 * command line, so {@code streamify generate} exits 1 (a failed run), not 2 (a usage mistake).
 */
public final class KafkaUnavailableException extends RuntimeException {
  public KafkaUnavailableException(String message) {
    super(message);
  }
}
