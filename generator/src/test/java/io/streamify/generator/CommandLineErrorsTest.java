package io.streamify.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mistake ends in one line on stderr and exit code 2: no stack trace, no partial run; a
 * failure the user did not cause (a broker that is down) in one line and exit code 1.
 */
class CommandLineErrorsTest {
  @TempDir static Path dir;

  static Stream<Arguments> mistakes() throws Exception {
    Path notJson = Files.writeString(dir.resolve("broken.json"), "{\"alpha\": ");
    Path overOne =
        Files.writeString(
            dir.resolve("over.json"),
            ConfigTest.base()
                .replace(
                    "\"p\": 0.5",
                    "\"p\": 0.5}, {\"source\": {\"page\": \"NextSong\", \"method\":"
                        + " \"PUT\", \"status\": 200, \"auth\": \"Logged In\", \"level\": \"free\"}, \"dest\":"
                        + " {\"page\": \"NextSong\", \"method\": \"PUT\", \"status\": 200, \"auth\": \"Logged"
                        + " In\", \"level\": \"free\"}, \"p\": 0.7"));
    Path catalog = Files.writeString(dir.resolve("cat.txt"), "x\ty\n");
    return Stream.of(
            new String[] {"Unknown options: '--usres'", "--usres", "10"},
            new String[] {"Invalid value for option '--users'", "--users", "ten"},
            new String[] {"--users must be >= 0", "--users", "-1"},
            new String[] {"does not exist", "-c", dir.resolve("missing.json").toString()},
            new String[] {"is not valid JSON", "-c", notJson.toString()},
            new String[] {"sum to 1.2 (> 1)", "-c", overOne.toString()},
            new String[] {"is neither a Million Song Dataset CSV", "--catalog", catalog.toString()},
            new String[] {
              "catalog " + dir.resolve("none.csv") + " does not exist",
              "--catalog",
              dir.resolve("none.csv").toString()
            },
            new String[] {"'yesterday' is not a UTC date", "--start", "yesterday"},
            new String[] {
              "must be after the start", "--start", "2026-11-24", "--end", "2026-11-23"
            },
            new String[] {
              "give --start or --from, not both", "--start", "2026-11-24", "--from", "3"
            },
            new String[] {"unknown topic 'plays'", "--topics", "plays"},
            new String[] {"Invalid value for option '--mode'", "--mode", "fast"},
            new String[] {"--speed must be > 0", "--speed", "0"},
            new String[] {
              "--first-session-id must be a number or clock, got 'soon'",
              "--first-session-id",
              "soon"
            },
            new String[] {
              "--kafka-timeout must be >= 1", "--sink", "kafka", "--kafka-timeout", "0"
            },
            new String[] {
              "Kafka refuses the settings for garbage: Invalid url in"
                  + " bootstrap.servers: garbage",
              "-q",
              "--sink",
              "kafka",
              "-b",
              "garbage"
            },
            new String[] {
              "Kafka refuses the settings for nonexistent.invalid:9092: No resolvable"
                  + " bootstrap urls",
              "-q",
              "--sink",
              "kafka",
              "-b",
              "nonexistent.invalid:9092"
            })
        .map(a -> Arguments.of((Object) a));
  }

  @ParameterizedTest
  @MethodSource("mistakes")
  void aMistakeGetsOneLineAndExitCode2(String[] expectedAndArgs) {
    String[] args = new String[expectedAndArgs.length - 1];
    System.arraycopy(expectedAndArgs, 1, args, 0, args.length);
    Generated.Result r = Generated.cli(Generated.withOutput(dir.resolve("out"), args));
    assertThat(r.stderr(), r.exitCode(), is(2));
    assertThat(r.stderr(), startsWith("streamify generate: "));
    assertThat(r.stderr(), containsString(expectedAndArgs[0]));
    assertThat(r.stderr(), r.stderr().strip().lines().count(), is(1L));
    assertThat(Files.exists(dir.resolve("out/page_view_events.jsonl")), is(false));
  }

  @Test
  void anUnreachableBrokerIsAFailedRunWithAClearErrorAfterTheTimeout() {
    long t0 = System.nanoTime();
    // Port 1 on loopback: nothing listens there.
    Generated.Result r =
        Generated.cli(
            "-q", "--sink", "kafka", "-b", "127.0.0.1:1", "--kafka-timeout", "2", "-n", "10");
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat("a broker that is down is not a usage mistake", r.exitCode(), is(1));
    assertThat(
        r.stderr().strip(),
        is(
            "streamify generate: cannot reach Kafka at 127.0.0.1:1 (no"
                + " answer within 2 s); is the broker running?"));
    assertThat(seconds, lessThan(30.0)); // bounded: no endless retry
  }
}
