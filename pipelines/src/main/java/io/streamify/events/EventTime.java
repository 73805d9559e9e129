package io.streamify.events;

import java.nio.charset.StandardCharsets;

/**
 * Reads the top-level {@code "ts"} of a JSON event without parsing the rest: the Kafka reader needs
 * every record's event time, and a full parse there would be done twice.
 */
public final class EventTime {
  private EventTime() {}

  /** The value of {@code "ts"} in epoch ms, or {@code Long.MIN_VALUE} if there is none usable. */
  public static long of(byte[] json) {
    if (json == null) {
      return Long.MIN_VALUE;
    }
    int n = json.length;
    // A '"ts"' followed by ':' can only be a key: inside a string the quote would end it.
    for (int i = 0; i + 4 < n; i++) {
      if (json[i] == '"' && json[i + 1] == 't' && json[i + 2] == 's' && json[i + 3] == '"') {
        int j = i + 4;
        while (j < n && isSpace(json[j])) {
          j++;
        }
        if (j < n && json[j] == ':') {
          return number(json, j + 1);
        }
      }
    }
    return Long.MIN_VALUE;
  }

  private static long number(byte[] b, int from) {
    int i = from;
    int n = b.length;
    while (i < n && isSpace(b[i])) {
      i++;
    }
    int start = i;
    boolean negative = i < n && b[i] == '-';
    if (negative) {
      i++;
    }
    long v = 0;
    int digits = 0;
    while (i < n && b[i] >= '0' && b[i] <= '9' && digits < 18) {
      v = v * 10 + (b[i] - '0');
      i++;
      digits++;
    }
    if (digits == 0) {
      return Long.MIN_VALUE;
    }
    if (i < n && (b[i] == '.' || b[i] == 'e' || b[i] == 'E' || (b[i] >= '0' && b[i] <= '9'))) {
      int end = i;
      while (end < n
          && (b[end] == '.'
              || b[end] == 'e'
              || b[end] == 'E'
              || b[end] == '+'
              || b[end] == '-'
              || (b[end] >= '0' && b[end] <= '9'))) {
        end++;
      }
      try {
        double d = Double.parseDouble(new String(b, start, end - start, StandardCharsets.US_ASCII));
        return Double.isFinite(d) && Math.abs(d) < 9.0e15 ? (long) d : Long.MIN_VALUE;
      } catch (NumberFormatException e) {
        return Long.MIN_VALUE;
      }
    }
    return negative ? -v : v;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
