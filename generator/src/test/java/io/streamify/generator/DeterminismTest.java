package io.streamify.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.streamify.generator.events.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same seed and options ⇒ byte-identical output, whatever the threads or the pacing. */
class DeterminismTest {
  private static final String[] ARGS = {
    "-n",
    "2000",
    "--growth-rate",
    "30",
    "--seed",
    "42",
    "--start",
    "2026-11-23T06:00",
    "--end",
    "2026-11-24T06:00",
    "-q"
  };

  @Test
  void sameSeedAndOptionsGiveByteIdenticalOutput(@TempDir Path a, @TempDir Path b, @TempDir Path c)
      throws Exception {
    Generated.run(a, ARGS);
    Generated.run(b, ARGS);
    Generated.run(c, with(ARGS, "--threads", "1"));
    for (Topic t : Topic.values()) {
      byte[] first = bytes(a, t);
      assertThat(t + " is not empty", first.length, greaterThan(0));
      assertThat(t.topicName(), Arrays.equals(first, bytes(b, t)), is(true));
      assertThat(t.topicName() + " with one thread", Arrays.equals(first, bytes(c, t)), is(true));
    }
  }

  @Test
  void anotherSeedGivesOtherEvents(@TempDir Path a, @TempDir Path b) throws Exception {
    Generated.run(a, ARGS);
    String[] other = ARGS.clone();
    other[5] = "43";
    Generated.run(b, other);
    assertThat(bytes(a, Topic.PAGE_VIEW), not(equalTo(bytes(b, Topic.PAGE_VIEW))));
  }

  @Test
  void acceleratedModeWaitsForTheSimulatedClockAndWritesTheSameEvents(
      @TempDir Path fast, @TempDir Path paced) throws Exception {
    String[] args = {
      "-n", "2000", "--seed", "5", "--start", "2026-11-24T12:00", "--end", "2026-11-24T12:30", "-q"
    };
    Generated.run(fast, args);
    long t0 = System.nanoTime();
    // 30 simulated minutes at 600× take 3 s of wall-clock time (and time slices of 150 s instead
    // of 300 s, which must not change the output).
    Generated.run(paced, with(args, "--mode", "accelerated", "--speed", "600"));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(seconds, greaterThanOrEqualTo(2.7));
    for (Topic t : Topic.values()) {
      assertThat(t.topicName(), Arrays.equals(bytes(fast, t), bytes(paced, t)), is(true));
    }
  }

  @Test
  void firstSessionIdOnlyShiftsTheSessionIds(@TempDir Path a, @TempDir Path b) throws Exception {
    Generated.run(a, ARGS);
    Generated.run(b, with(ARGS, "--first-session-id", "1000001"));
    for (Topic t : Topic.values()) {
      String shifted =
          java.util.regex.Pattern.compile("\"sessionId\":(\\d+)")
              .matcher(Files.readString(a.resolve(t.topicName() + ".jsonl")))
              .replaceAll(m -> "\"sessionId\":" + (Long.parseLong(m.group(1)) + 1_000_000));
      assertThat(
          t.topicName(), Files.readString(b.resolve(t.topicName() + ".jsonl")), equalTo(shifted));
    }
  }

  static byte[] bytes(Path dir, Topic t) throws Exception {
    return Files.readAllBytes(dir.resolve(t.topicName() + ".jsonl"));
  }

  static String[] with(String[] args, String... more) {
    String[] out = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, out, args.length, more.length);
    return out;
  }
}
