package io.streamify.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.streamify.audit.Audit;
import io.streamify.local.LocalStack;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code streamify local|dashboard|audit --help}: every option that takes a value shows an example
 * as its last description line ("e.g. --name=value"), and the examples are real: all of a command's
 * examples given together parse, and each sets its own option. (The Beam commands: OptionsHelpTest;
 * generate: the generator's GeneratorHelpTest.)
 */
class CommandExamplesTest {
  static final Map<String, Supplier<Object>> COMMANDS =
      Map.of(
          "streamify local", () -> construct(LocalStack.class.getName()),
          "streamify audit", () -> construct(Audit.class.getName()),
          "streamify dashboard", () -> construct("io.streamify.dashboard.DashboardServer$Cli"));

  /** The command object, made as its main makes it (constructors are package-private). */
  static Object construct(String className) {
    try {
      Class<?> c = Class.forName(className);
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        k.setAccessible(true);
        Class<?>[] p = k.getParameterTypes();
        Object[] args = new Object[p.length];
        for (int i = 0; i < p.length; i++) {
          args[i] =
              p[i] == PrintStream.class
                  ? System.err
                  : p[i] == Instant.class ? Instant.parse("2026-11-29T12:00:00Z") : null;
        }
        return k.newInstance(args);
      }
      throw new IllegalStateException("no constructor in " + className);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void everyOptionHasAnExampleThatParses() {
    for (var command : COMMANDS.entrySet()) {
      assertThat(command.getKey(), problems(command.getValue()), empty());
    }
  }

  @Test
  void theHelpShowsTheExamplesAndRequiredOptionsInTheSynopsis() {
    String audit = new CommandLine(COMMANDS.get("streamify audit").get()).getUsageMessage();
    assertThat(
        audit, startsWith("Usage: streamify audit --lake=DIR|gs://BUCKET/PREFIX" + " [OPTIONS]\n"));
    assertThat(audit, containsString("  e.g. --lake=streamify-data/lake\n"));
    String dashboard = new CommandLine(COMMANDS.get("streamify dashboard").get()).getUsageMessage();
    assertThat(
        dashboard,
        startsWith(
            "Usage: streamify dashboard" + " --warehouse=FILE.duckdb|PROJECT:DATASET [OPTIONS]\n"));
  }

  /**
   * What is wrong with the examples of a picocli command: an option taking a value without an "e.g.
   * --name=value" last line, or examples that do not parse or do not set their option.
   */
  static List<String> problems(Supplier<Object> command) {
    List<String> problems = new ArrayList<>();
    List<String> examples = new ArrayList<>();
    List<OptionSpec> checked = new ArrayList<>();
    for (OptionSpec o : new CommandLine(command.get()).getCommandSpec().options()) {
      if (o.usageHelp() || o.versionHelp() || o.arity().max() == 0) {
        continue; // flags need no example
      }
      String[] d = o.description();
      String last = d.length == 0 ? "" : d[d.length - 1];
      if (!last.startsWith("e.g. " + o.longestName() + "=")) {
        problems.add(
            o.longestName()
                + ": no example line \"e.g. "
                + o.longestName()
                + "=…\" (got \""
                + last
                + "\")");
        continue;
      }
      examples.add(last.substring("e.g. ".length()));
      checked.add(o);
    }
    try {
      ParseResult parsed =
          new CommandLine(command.get()).parseArgs(examples.toArray(String[]::new));
      for (OptionSpec o : checked) {
        if (!parsed.hasMatchedOption(o.longestName())) {
          problems.add(o.longestName() + ": its example did not set it");
        }
      }
    } catch (CommandLine.ParameterException e) {
      problems.add("the examples " + examples + " do not parse: " + e.getMessage());
    }
    assertThat("options with examples", checked.isEmpty(), is(false));
    return problems;
  }
}
