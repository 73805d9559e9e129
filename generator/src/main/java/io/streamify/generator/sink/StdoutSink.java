package io.streamify.generator.sink;

import io.streamify.generator.events.Topic;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * JSON lines on standard output. With one topic the lines are the bare JSON (pipe them to jq); with
 * several, each line starts with the topic name and a tab (kcat's -K'\t' reads that).
 */
public final class StdoutSink implements EventSink {
  private final OutputStream out;
  private final boolean tagged;
  private final byte[][] tags = new byte[Topic.values().length][];

  public StdoutSink(boolean tagged) {
    this(new FileOutputStream(FileDescriptor.out), tagged);
  }

  StdoutSink(OutputStream raw, boolean tagged) {
    this.out = new BufferedOutputStream(raw, 1 << 16);
    this.tagged = tagged;
    for (Topic t : Topic.values()) {
      tags[t.ordinal()] = (t.topicName() + "\t").getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The reader went away (e.g. {@code | head}): not an error, just the end of the run. */
  public static final class ReaderGoneException extends IOException {
    ReaderGoneException(IOException cause) {
      super("standard output was closed", cause);
    }
  }

  @Override
  public void write(Topic topic, long key, long ts, byte[] bytes, int offset, int length)
      throws IOException {
    try {
      if (tagged) {
        out.write(tags[topic.ordinal()]);
      }
      out.write(bytes, offset, length);
    } catch (IOException e) {
      throw new ReaderGoneException(e);
    }
  }

  @Override
  public void flush() throws IOException {
    try {
      out.flush();
    } catch (IOException e) {
      throw new ReaderGoneException(e);
    }
  }

  @Override
  public void close() throws IOException {
    flush();
  }
}
