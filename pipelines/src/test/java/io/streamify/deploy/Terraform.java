package io.streamify.deploy;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration in terraform/, read for offline checks: each file's text, its parse by an HCL2
 * parser (hcl4j), and a small evaluator for the string expressions the checks need (string
 * templates of variables and locals, escapes resolved, {@code tostring()}, and {@code var.x == "v"
 * ? a : b}), with the variables of terraform.tfvars.example over their defaults.
 */
final class Terraform {
  static final Path DIR = Path.of("..", "terraform");
  private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*([A-Za-z0-9_]+)\\s*=\\s*(.+)$");

  final Map<String, String> sources = new TreeMap<>();
  final Map<String, Map<String, Object>> parsed = new TreeMap<>();
  final Map<String, String> tfvars = new LinkedHashMap<>();

  Terraform() throws Exception {
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        sources.put(f.getFileName().toString(), text);
        try {
          parsed.put(f.getFileName().toString(), new HCLParser().parse(text));
        } catch (Exception e) {
          throw new AssertionError(f + " does not parse as HCL: " + e.getMessage(), e);
        }
      }
    }
    for (String line : Files.readAllLines(DIR.resolve("terraform.tfvars.example"))) {
      Matcher m = ASSIGNMENT.matcher(line);
      if (!line.strip().startsWith("#") && m.matches()) {
        tfvars.put(m.group(1), unquote(m.group(2).strip()));
      }
    }
  }

  /** All text, comments removed (lines starting with #). */
  String code() {
    StringBuilder b = new StringBuilder();
    sources
        .values()
        .forEach(
            s ->
                s.lines()
                    .filter(l -> !l.strip().startsWith("#"))
                    .forEach(l -> b.append(l).append('\n')));
    return b.toString();
  }

  /** The top-level blocks of one kind over all files: "variable", "resource", "output", ... */
  @SuppressWarnings("unchecked")
  Map<String, Object> blocks(String kind) {
    Map<String, Object> out = new TreeMap<>();
    for (Map<String, Object> file : parsed.values()) {
      Object b = file.get(kind);
      if (b instanceof Map<?, ?> m) {
        ((Map<String, Object>) m)
            .forEach(
                (k, v) -> {
                  if (v instanceof Map<?, ?> inner && out.get(k) instanceof Map<?, ?> existing) {
                    Map<String, Object> merged = new TreeMap<>((Map<String, Object>) existing);
                    merged.putAll((Map<String, Object>) inner);
                    out.put(k, merged);
                  } else {
                    out.put(k, v);
                  }
                });
      }
    }
    return out;
  }

  /** Values that take the place of the example's and the defaults (a test's what-if). */
  final Map<String, String> overrides = new LinkedHashMap<>();

  /** A variable's value: an override, terraform.tfvars.example, else its default (as text). */
  String variable(String name) {
    if (overrides.containsKey(name)) {
      return overrides.get(name);
    }
    if (tfvars.containsKey(name)) {
      return tfvars.get(name);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> v = (Map<String, Object>) blocks("variable").get(name);
    if (v == null || !v.containsKey("default")) {
      throw new AssertionError("variable " + name + " has no value in the example and no default");
    }
    Object d = v.get("default");
    return d instanceof Double n && n == Math.rint(n)
        ? String.valueOf(n.longValue())
        : String.valueOf(d);
  }

  /** The text of a local's expression (single-line definitions). */
  String localExpression(String name) {
    Pattern p = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + "\\s*=\\s*(.+)$");
    for (String text : sources.values()) {
      int locals = text.indexOf("locals {");
      while (locals >= 0) {
        int end = blockEnd(text, text.indexOf('{', locals));
        Matcher m = p.matcher(text.substring(locals, end));
        if (m.find()) {
          return m.group(1).strip();
        }
        locals = text.indexOf("locals {", end);
      }
    }
    throw new AssertionError("no local " + name);
  }

  /**
   * The expression text of {@code attribute} directly inside {@code resource "type" "name"}
   * (single-line assignments), or null when the resource does not set it.
   */
  String resourceAttribute(String type, String name, String attribute) {
    Pattern header =
        Pattern.compile(
            "(?m)^resource \"" + Pattern.quote(type) + "\" \"" + Pattern.quote(name) + "\" \\{");
    for (String text : sources.values()) {
      Matcher m = header.matcher(text);
      if (m.find()) {
        int open = text.indexOf('{', m.start());
        String body = text.substring(open + 1, blockEnd(text, open) - 1);
        int depth = 0;
        for (String line : body.split("\n")) {
          Matcher a = ASSIGNMENT.matcher(line);
          if (depth == 0 && a.matches() && a.group(1).equals(attribute)) {
            return a.group(2).strip();
          }
          depth += count(line, '{') - count(line, '}') + count(line, '[') - count(line, ']');
        }
        return null;
      }
    }
    throw new AssertionError("no resource " + type + "." + name);
  }

  /** The regex of a variable's validation, from {@code can(regex("...", var.NAME))}. */
  Pattern validationRegex(String variable) {
    String vars = sources.get("variables.tf");
    int block = vars.indexOf("variable \"" + variable + "\" {");
    if (block < 0) {
      throw new AssertionError("no variable " + variable);
    }
    int end = blockEnd(vars, vars.indexOf('{', block));
    Matcher m =
        Pattern.compile(
                "can\\(regex\\(\"((?:[^\"\\\\]|\\\\.)*)\", var\\."
                    + Pattern.quote(variable)
                    + "\\)\\)")
            .matcher(vars.substring(block, end));
    if (!m.find()) {
      throw new AssertionError("variable " + variable + " has no regex validation");
    }
    return Pattern.compile(unescape(m.group(1)));
  }

  /** The resource names of a type: {@code resource "type" "NAME"}. */
  List<String> resourceNames(String type) {
    List<String> out = new ArrayList<>();
    Pattern header =
        Pattern.compile("(?m)^resource \"" + Pattern.quote(type) + "\" \"([a-z0-9_]+)\" \\{");
    for (String text : sources.values()) {
      Matcher m = header.matcher(text);
      while (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** The key = value lines directly inside a local that is a map (one level). */
  Map<String, String> localMap(String name) {
    for (String text : sources.values()) {
      Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + "\\s*=\\s*\\{").matcher(text);
      if (m.find()) {
        int open = text.indexOf('{', m.start());
        String body = text.substring(open + 1, blockEnd(text, open) - 1);
        Map<String, String> out = new LinkedHashMap<>();
        int depth = 0;
        for (String line : body.split("\n")) {
          Matcher a = ASSIGNMENT.matcher(line);
          if (depth == 0 && a.matches()) {
            out.put(a.group(1), a.group(2).strip());
          }
          depth += count(line, '{') - count(line, '}');
        }
        return out;
      }
    }
    throw new AssertionError("no map local " + name);
  }

  /** Evaluates the expressions the checks need; anything else fails the test loudly. */
  String eval(String expr) {
    String e = expr.strip();
    Matcher cond =
        Pattern.compile("^var\\.([a-z0-9_]+)\\s*==\\s*\"([^\"]*)\"\\s+\\?\\s+(.+?)\\s+:\\s+(.+)$")
            .matcher(e);
    if (cond.matches()) {
      return variable(cond.group(1)).equals(cond.group(2))
          ? eval(cond.group(3))
          : eval(cond.group(4));
    }
    Matcher call = Pattern.compile("^tostring\\((.+)\\)$").matcher(e);
    if (call.matches()) {
      return eval(call.group(1));
    }
    if (e.startsWith("var.")) {
      return variable(e.substring(4));
    }
    if (e.startsWith("local.")) {
      return eval(localExpression(e.substring(6)));
    }
    if (e.startsWith("\"") && e.endsWith("\"")) {
      Matcher i =
          Pattern.compile("\\$\\{([^}]+)}").matcher(unescape(e.substring(1, e.length() - 1)));
      StringBuilder b = new StringBuilder();
      while (i.find()) {
        i.appendReplacement(b, Matcher.quoteReplacement(eval(i.group(1))));
      }
      i.appendTail(b);
      return b.toString();
    }
    throw new AssertionError("cannot evaluate " + e);
  }

  /** A string literal's escapes (a backslash before ", \\, n or t) resolved; ${...} stays. */
  static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        b.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  static int blockEnd(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      if (text.charAt(i) == '{') {
        depth++;
      } else if (text.charAt(i) == '}' && --depth == 0) {
        return i + 1;
      }
    }
    throw new AssertionError("unbalanced braces");
  }

  private static int count(String s, char c) {
    return (int) s.chars().filter(x -> x == c).count();
  }

  private static String unquote(String s) {
    return s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + p, e);
    }
  }
}
