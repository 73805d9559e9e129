package io.streamify.generator.sink;

import io.streamify.generator.events.Topic;
import java.io.IOException;

/** Where records go, in time order, from one thread. */
public interface EventSink extends AutoCloseable {
  /**
   * Writes one record.
   *
   * @param key the userId, or the sessionId for anonymous users (the Kafka key)
   * @param bytes the JSON in {@code bytes[offset, offset + length)}, ending with a newline
   */
  void write(Topic topic, long key, long ts, byte[] bytes, int offset, int length)
      throws IOException;

  void flush() throws IOException;

  @Override
  void close() throws IOException;
}
