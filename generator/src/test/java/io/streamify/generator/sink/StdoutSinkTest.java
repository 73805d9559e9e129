package io.streamify.generator.sink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamify.generator.events.Topic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StdoutSinkTest {
  static final byte[] LINE = "{\"ts\":1}\n".getBytes(StandardCharsets.UTF_8);

  @Test
  void oneTopicIsBareJsonSeveralAreTagged() throws Exception {
    ByteArrayOutputStream bare = new ByteArrayOutputStream();
    try (StdoutSink s = new StdoutSink(bare, false)) {
      s.write(Topic.LISTEN, 1, 1, LINE, 0, LINE.length);
    }
    assertThat(bare.toString(StandardCharsets.UTF_8), is("{\"ts\":1}\n"));
    ByteArrayOutputStream tagged = new ByteArrayOutputStream();
    try (StdoutSink s = new StdoutSink(tagged, true)) {
      s.write(Topic.AUTH, 1, 1, LINE, 0, LINE.length);
    }
    assertThat(tagged.toString(StandardCharsets.UTF_8), is("auth_events\t{\"ts\":1}\n"));
  }

  @Test
  void aClosedReaderEndsTheRunWithoutAnError() {
    OutputStream closed =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("Broken pipe");
          }
        };
    StdoutSink s = new StdoutSink(closed, false);
    assertThrows(
        StdoutSink.ReaderGoneException.class,
        () -> {
          for (int i = 0; i < 100_000; i++) {
            s.write(Topic.LISTEN, 1, 1, LINE, 0, LINE.length);
          }
          s.flush();
        });
  }
}
