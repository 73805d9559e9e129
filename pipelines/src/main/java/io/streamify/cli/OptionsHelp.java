package io.streamify.cli;

import java.beans.Introspector;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * {@code streamify COMMAND --help} for the Beam pipelines: the command's own options first — each
 * with its description, default (or "required") and an example — then how to list Beam's general
 * options (runner, project, region, workers …), which Beam prints itself with {@code
 * --help=INTERFACE}. Everything comes from the Options interface's annotations ({@link
 * Description}, {@code Default.*}, {@link Validation.Required}, {@link Example}), the same
 * definition the Flex Templates' metadata is generated from.
 */
public final class OptionsHelp {
  /** Beam's option groups a user of these commands may need, for {@code --help=NAME}. */
  static final List<String> BEAM_GROUPS =
      List.of(
          "PipelineOptions",
          "DirectOptions",
          "DataflowPipelineOptions",
          "GcpOptions",
          "BigQueryOptions");

  private OptionsHelp() {}

  /** One option as the help shows it. */
  record Entry(
      String name, String description, String defaultValue, boolean required, String example) {}

  /** The options declared by {@code options} itself (not inherited), by name. */
  static List<Entry> entries(Class<? extends PipelineOptions> options) {
    List<Entry> out = new ArrayList<>();
    Arrays.stream(options.getDeclaredMethods())
        .filter(m -> m.getName().startsWith("get") && m.getParameterCount() == 0)
        .sorted(Comparator.comparing(Method::getName))
        .forEach(
            m -> {
              String name = Introspector.decapitalize(m.getName().substring(3));
              Description d = m.getAnnotation(Description.class);
              Example e = m.getAnnotation(Example.class);
              String dflt = defaultOf(m);
              out.add(
                  new Entry(
                      name,
                      d == null ? "" : d.value(),
                      dflt,
                      m.getAnnotation(Validation.Required.class) != null,
                      e != null ? e.value() : dflt));
            });
    return out;
  }

  /** The help text of {@code streamify command}. */
  public static String text(
      Class<? extends PipelineOptions> options, String command, String summary) {
    StringBuilder s = new StringBuilder();
    List<Entry> entries = entries(options);
    s.append("usage: streamify ").append(command);
    for (Entry e : entries) {
      if (e.required()) {
        s.append(" --").append(e.name()).append("=…");
      }
    }
    s.append(" [OPTIONS]\n\n");
    for (String line : wrap(summary, 80)) {
      s.append(line).append('\n');
    }
    s.append("\nOptions of streamify ").append(command).append(":\n");
    for (Entry e : entries) {
      s.append("  --")
          .append(e.name())
          // an empty default is explained by the description ("default: <lake>/…") or is none
          .append(
              e.required()
                  ? "  (required)"
                  : e.defaultValue() == null || e.defaultValue().isEmpty()
                      ? ""
                      : "  (default: " + e.defaultValue() + ")")
          .append('\n');
      for (String line : wrap(e.description(), 74)) {
        s.append("      ").append(line).append('\n');
      }
      if (e.example() != null && !e.example().isEmpty()) {
        s.append("      e.g. --").append(e.name()).append('=').append(e.example()).append('\n');
      }
    }
    s.append("\nGeneral Beam options (--runner, --project, --region, --tempLocation, workers …):\n")
        .append("  streamify ")
        .append(command)
        .append(" --help=NAME, NAME one of ")
        .append(String.join(", ", BEAM_GROUPS))
        .append('\n')
        .append("  streamify ")
        .append(command)
        .append(" --version: the versions in use\n");
    return s.toString();
  }

  /**
   * Answers {@code --help} or {@code -h} (this command's help, on {@code out}), {@code --help=NAME}
   * (Beam's help for the registered options interface NAME, simple or full name) or {@code
   * --version}, when the arguments ask for one of them.
   *
   * @return empty when they did not ask; else the exit code: 0 answered, 2 for a NAME that no
   *     registered options interface has (one line on {@code err} names the choices)
   */
  public static OptionalInt answerIfAsked(
      String[] args,
      Class<? extends PipelineOptions> options,
      String command,
      String summary,
      PrintStream out,
      PrintStream err) {
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        out.print(text(options, command, summary));
        return OptionalInt.of(0);
      }
      if (a.startsWith("--help=")) {
        String name = a.substring("--help=".length());
        Optional<Class<? extends PipelineOptions>> group =
            PipelineOptionsFactory.getRegisteredOptions().stream()
                .filter(c -> c.getName().equals(name) || c.getSimpleName().equals(name))
                .findFirst();
        if (group.isEmpty()) {
          err.println(
              "streamify "
                  + command
                  + ": no Beam options named "
                  + name
                  + " (--help=NAME,"
                  + " NAME one of "
                  + String.join(", ", BEAM_GROUPS)
                  + ", or --help for the"
                  + " command's own)");
          return OptionalInt.of(2);
        }
        PipelineOptionsFactory.printHelp(out, group.get());
        return OptionalInt.of(0);
      }
    }
    return Versions.printIfAsked(args, out) ? OptionalInt.of(0) : OptionalInt.empty();
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split("\\s+")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  /**
   * An option's default as written in its {@code Default.*} annotation ("" for an empty string), or
   * null without one; the help and the Flex Template metadata both show it.
   */
  public static String defaultOf(Method m) {
    Default.String s = m.getAnnotation(Default.String.class);
    if (s != null) {
      return s.value();
    }
    Default.Integer i = m.getAnnotation(Default.Integer.class);
    if (i != null) {
      return Integer.toString(i.value());
    }
    Default.Long l = m.getAnnotation(Default.Long.class);
    if (l != null) {
      return Long.toString(l.value());
    }
    Default.Double d = m.getAnnotation(Default.Double.class);
    if (d != null) {
      return String.format(Locale.ROOT, "%s", d.value());
    }
    Default.Boolean b = m.getAnnotation(Default.Boolean.class);
    if (b != null) {
      return Boolean.toString(b.value());
    }
    return null;
  }
}
