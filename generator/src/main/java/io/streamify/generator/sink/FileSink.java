package io.streamify.generator.sink;

import io.streamify.generator.events.Topic;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** JSON-lines files, one per topic: {@code <dir>/<prefix><topic>.jsonl}. */
public final class FileSink implements EventSink {
  private final Map<Topic, OutputStream> out = new EnumMap<>(Topic.class);

  public FileSink(Path dir, String prefix, Set<Topic> topics) throws IOException {
    Files.createDirectories(dir);
    for (Topic t : topics) {
      out.put(t, new BufferedOutputStream(Files.newOutputStream(fileFor(dir, prefix, t)), 1 << 20));
    }
  }

  public static Path fileFor(Path dir, String prefix, Topic topic) {
    return dir.resolve(prefix + topic.topicName() + ".jsonl");
  }

  @Override
  public void write(Topic topic, long key, long ts, byte[] bytes, int offset, int length)
      throws IOException {
    out.get(topic).write(bytes, offset, length);
  }

  @Override
  public void flush() throws IOException {
    for (OutputStream o : out.values()) {
      o.flush();
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (OutputStream o : out.values()) {
      try {
        o.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
