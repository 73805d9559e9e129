package io.streamify.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code streamify generate --help}: every option that takes a value ends its description with an
 * example ("e.g. --name=value"); all examples given together parse and each sets its option. {@code
 * -V} prints the project's and the Kafka client's versions.
 */
class GeneratorHelpTest {
  @Test
  void everyOptionHasAnExampleThatParses() {
    List<String> problems = new ArrayList<>();
    List<String> examples = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (OptionSpec o : new CommandLine(new GeneratorCli()).getCommandSpec().options()) {
      if (o.usageHelp() || o.versionHelp() || o.arity().max() == 0) {
        continue; // flags need no example
      }
      String[] d = o.description();
      String last = d[d.length - 1];
      if (last.startsWith("e.g. " + o.longestName() + "=")) {
        examples.add(last.substring("e.g. ".length()));
        names.add(o.longestName());
      } else {
        problems.add(o.longestName() + " has no example line: \"" + last + "\"");
      }
    }
    assertThat(problems, empty());
    assertThat(names.size(), is(26));
    ParseResult parsed =
        new CommandLine(new GeneratorCli())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .parseArgs(examples.toArray(String[]::new));
    for (String name : names) {
      assertThat(name + "'s example sets it", parsed.hasMatchedOption(name), is(true));
    }
    String help = new CommandLine(new GeneratorCli()).getUsageMessage();
    assertThat(help, startsWith("Usage: streamify generate [OPTIONS]\n"));
    assertThat(help, containsString("e.g. --bootstrap-servers=localhost:9092\n"));
  }

  @Test
  void firstSessionIdClockIsTheStartSecondTimes1000() {
    GeneratorCli cli =
        new GeneratorCli(System.err, java.time.Instant.parse("2026-11-29T19:00:00.750Z"));
    new CommandLine(cli).parseArgs("--first-session-id=clock");
    assertThat(cli.firstSessionId(), is(1_795_978_800_000L));
    GeneratorCli given = new GeneratorCli(System.err, java.time.Instant.now());
    new CommandLine(given).parseArgs("--first-session-id=500000");
    assertThat(given.firstSessionId(), is(500_000L));
  }

  @Test
  void versionNamesTheProjectAndTheKafkaClient() {
    String[] lines = new CommandLine(new GeneratorCli()).getCommandSpec().version();
    assertThat(
        String.join("\n", lines) + "\n",
        matchesPattern(
            "streamify \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\nKafka client"
                + " \\d+\\.\\d+\\.\\d+\nJava .*\n"));
  }
}
