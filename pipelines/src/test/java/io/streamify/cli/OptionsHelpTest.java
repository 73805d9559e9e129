package io.streamify.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import io.streamify.hourly.HourlyCommand;
import io.streamify.hourly.HourlyPipeline;
import io.streamify.stream.StreamPipeline;
import io.streamify.warehouse.LoadCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamify stream|hourly|load-catalog --help}: every option of the command with its
 * description, default or "required", and an example that the option's own template regex accepts;
 * {@code --version} names the project, Beam, Kafka and DuckDB versions.
 */
class OptionsHelpTest {
  static final List<Class<? extends PipelineOptions>> COMMANDS =
      List.of(
          StreamPipeline.Options.class, HourlyPipeline.Options.class, LoadCatalog.Options.class);

  @Test
  void everyOptionIsListedWithItsDescriptionDefaultAndAnExample() {
    for (Class<? extends PipelineOptions> options : COMMANDS) {
      String help = OptionsHelp.text(options, "x", "What x does.");
      assertThat(help, startsWith("usage: streamify x "));
      for (OptionsHelp.Entry e : OptionsHelp.entries(options)) {
        assertThat(
            options + " " + e.name() + " has a description", e.description().isEmpty(), is(false));
        assertThat(
            options + " " + e.name() + " has an example",
            e.example() == null || e.example().isEmpty(),
            is(false));
        assertThat(
            help,
            containsString(
                "  --"
                    + e.name()
                    + (e.required()
                        ? "  (required)"
                        : e.defaultValue() == null || e.defaultValue().isEmpty()
                            ? "\n"
                            : "  (default: ")));
        assertThat(help, containsString("      e.g. --" + e.name() + "=" + e.example() + "\n"));
      }
      assertThat(help, containsString("streamify x --help=NAME, NAME one of PipelineOptions,"));
    }
  }

  @Test
  void everyExampleIsAcceptedByItsTemplateParameterRegex() throws Exception {
    int checked = 0;
    for (Class<? extends PipelineOptions> options :
        List.of(StreamPipeline.Options.class, HourlyPipeline.Options.class)) {
      for (OptionsHelp.Entry e : OptionsHelp.entries(options)) {
        Method m =
            options.getDeclaredMethod(
                "get" + Character.toUpperCase(e.name().charAt(0)) + e.name().substring(1));
        String regex = m.getAnnotation(TemplateParameter.class).regex();
        assertThat(options.getSimpleName() + "." + e.name(), e.example(), matchesPattern(regex));
        checked++;
      }
    }
    assertThat(checked > 20, is(true));
  }

  @Test
  void aLakeThatIsNotThereIsAUsageMistakeOfTheHourlyJob(@TempDir Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        HourlyCommand.run(
            new String[] {
              "--lake=" + dir.resolve("typo"), "--warehouse=" + dir.resolve("w.duckdb")
            },
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8), code, is(2));
    assertThat(
        out.toString(StandardCharsets.UTF_8),
        is(
            "streamify hourly: no lake at "
                + dir.resolve("typo")
                + " (the stream pipeline writes it: streamify stream --lake="
                + dir.resolve("typo")
                + ")\n"));
  }

  @Test
  void helpAndVersionAreAnsweredBeforeAnythingRuns() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream printErr = new PrintStream(err, true, StandardCharsets.UTF_8);
    // no --lake or --warehouse: the help, not a usage error
    assertThat(HourlyCommand.run(new String[] {"--help"}, printErr), is(0));
    assertThat(err.toString(StandardCharsets.UTF_8), is(""));
    assertThat(
        OptionsHelp.answerIfAsked(
            new String[] {"--lake=x", "-h"},
            HourlyPipeline.Options.class,
            "hourly",
            "Loads hours.",
            print,
            printErr),
        is(OptionalInt.of(0)));
    assertThat(
        out.toString(StandardCharsets.UTF_8),
        startsWith("usage: streamify hourly --lake=… --warehouse=… [OPTIONS]\n\nLoads hours.\n"));
    out.reset();
    assertThat(
        OptionsHelp.answerIfAsked(
            new String[] {"--version"},
            HourlyPipeline.Options.class,
            "hourly",
            "Loads hours.",
            print,
            printErr),
        is(OptionalInt.of(0)));
    assertThat(
        out.toString(StandardCharsets.UTF_8),
        matchesPattern(
            "(?s)streamify"
                + " \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\nApache Beam 2\\.\\d+\\.\\d+\nKafka client"
                + " \\d+\\.\\d+\\.\\d+\nDuckDB v\\d+\\.\\d+\\.\\d+\nJava .*\n"));
    assertThat(
        OptionsHelp.answerIfAsked(
            new String[] {"--lake=x"},
            HourlyPipeline.Options.class,
            "hourly",
            "Loads hours.",
            print,
            printErr),
        is(OptionalInt.empty()));
    assertThat(err.toString(StandardCharsets.UTF_8), is(""));
  }

  @Test
  void beamsOwnOptionGroupsAreShownByNameAndAnUnknownNameIsAUsageMistake() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream printErr = new PrintStream(err, true, StandardCharsets.UTF_8);
    for (String name : OptionsHelp.BEAM_GROUPS) {
      assertThat(
          name,
          OptionsHelp.answerIfAsked(
              new String[] {"--help=" + name},
              StreamPipeline.Options.class,
              "stream",
              "Streams.",
              print,
              printErr),
          is(OptionalInt.of(0)));
      assertThat(out.toString(StandardCharsets.UTF_8), containsString(name));
    }
    assertThat(out.toString(StandardCharsets.UTF_8), containsString("--targetParallelism"));
    assertThat(err.toString(StandardCharsets.UTF_8), is(""));
    out.reset();
    assertThat(
        OptionsHelp.answerIfAsked(
            new String[] {"--help=Unknown"},
            StreamPipeline.Options.class,
            "stream",
            "Streams.",
            print,
            printErr),
        is(OptionalInt.of(2)));
    assertThat(out.toString(StandardCharsets.UTF_8), is(""));
    assertThat(
        err.toString(StandardCharsets.UTF_8),
        is(
            "streamify stream: no Beam options named"
                + " Unknown (--help=NAME, NAME one of PipelineOptions, DirectOptions,"
                + " DataflowPipelineOptions, GcpOptions, BigQueryOptions, or --help for the command's"
                + " own)\n"));
  }
}
