package io.streamify.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamify.generator.events.Topic;
import io.streamify.generator.sink.FileSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Runs the generator in-process into files and reads the events back, for tests. */
final class Generated {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The repository's test data, {@code fixtures/} at the project root (see its README). Tests run
   * in their module's folder, under Maven and in IDEs alike, one level below the root.
   */
  static final Path FIXTURES = Path.of("..", "fixtures");

  final Path dir;
  final String stderr;
  final Map<Topic, List<JsonNode>> events = new EnumMap<>(Topic.class);

  private Generated(Path dir, String stderr) {
    this.dir = dir;
    this.stderr = stderr;
  }

  /** Runs {@code streamify generate ARGS -o DIR}, failing the test on a non-zero exit. */
  static Generated run(Path dir, String... args) {
    Result r = cli(withOutput(dir, args));
    assertThat("exit code; stderr: " + r.stderr, r.exitCode, is(0));
    Generated g = new Generated(dir, r.stderr);
    for (Topic t : Topic.values()) {
      Path f = FileSink.fileFor(dir, "", t);
      List<JsonNode> list = new ArrayList<>();
      if (Files.exists(f)) {
        try {
          for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            list.add(JSON.readTree(line));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      g.events.put(t, list);
    }
    return g;
  }

  List<JsonNode> of(Topic t) {
    return events.get(t);
  }

  static String[] withOutput(Path dir, String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "-o";
    all[args.length + 1] = dir.toString();
    return all;
  }

  record Result(int exitCode, String stderr) {}

  /** Runs the command line as a user would, capturing stderr. */
  static Result cli(String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code = GeneratorCli.run(args, err);
    return new Result(code, buf.toString(StandardCharsets.UTF_8));
  }

  /** A file or folder of {@code fixtures/}: {@code fixture("eventsim/example-config.json")}. */
  static Path fixture(String relative) {
    Path p = FIXTURES.resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException(
          p.toAbsolutePath().normalize()
              + " does not exist: run the"
              + " tests in the module's folder (as Maven does)");
    }
    return p;
  }
}
