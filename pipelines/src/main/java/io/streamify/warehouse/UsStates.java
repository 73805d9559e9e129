package io.streamify.warehouse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** USPS state codes and names (shipped as {@code us_states.tsv}); normalises what events carry. */
public final class UsStates {
  public static final String UNKNOWN = "Unknown";
  private static final Map<String, String> NAMES = load();

  private UsStates() {}

  /**
   * The state code an event's state stands for: trimmed and upper-cased; of a metropolitan area's
   * list ("NY-NJ-PA", as eventsim writes them) the first, principal one.
   */
  public static String normalize(String state) {
    if (state == null) {
      return "";
    }
    String s = state.strip().toUpperCase(Locale.ROOT);
    int dash = s.indexOf('-');
    return dash > 0 ? s.substring(0, dash).strip() : s;
  }

  /** The name of a normalised code, or {@value #UNKNOWN}. */
  public static String name(String code) {
    return NAMES.getOrDefault(code, UNKNOWN);
  }

  public static Map<String, String> all() {
    return NAMES;
  }

  private static Map<String, String> load() {
    Map<String, String> m = new TreeMap<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                UsStates.class.getResourceAsStream("us_states.tsv"), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] f = line.split("\t");
          m.put(f[0], f[1]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(m);
  }
}
