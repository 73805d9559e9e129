package io.streamify.generator.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array for building JSON without intermediate Strings. */
public final class ByteBuf {
  private static final byte[] MIN_LONG =
      Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);
  private byte[] bytes;
  private int size;
  private final byte[] digits = new byte[20];

  public ByteBuf(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  public byte[] array() {
    return bytes;
  }

  public int size() {
    return size;
  }

  public void clear() {
    size = 0;
  }

  private void ensure(int extra) {
    if (size + extra > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
    }
  }

  public ByteBuf append(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, bytes, size, b.length);
    size += b.length;
    return this;
  }

  public ByteBuf append(byte b) {
    ensure(1);
    bytes[size++] = b;
    return this;
  }

  public ByteBuf append(long v) {
    if (v == Long.MIN_VALUE) {
      return append(MIN_LONG);
    }
    ensure(20);
    if (v < 0) {
      bytes[size++] = '-';
      v = -v;
    }
    int n = 0;
    do {
      digits[n++] = (byte) ('0' + (v % 10));
      v /= 10;
    } while (v != 0);
    while (n > 0) {
      bytes[size++] = digits[--n];
    }
    return this;
  }

  /** Appends s as a JSON string literal body (no quotes), escaped, in UTF-8. */
  public ByteBuf appendJsonText(String s) {
    return append(jsonText(s));
  }

  /** The UTF-8 bytes of s escaped for use inside a JSON string literal. */
  public static byte[] jsonText(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
