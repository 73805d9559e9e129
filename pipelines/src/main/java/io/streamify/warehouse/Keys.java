package io.streamify.warehouse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Dimension keys: stable 64-bit hashes of natural keys, so that any run, in any order, on any
 * runner gives a member the same key without a lookup. 0 is reserved for the unknown member of
 * every dimension; a key is never negative.
 */
public final class Keys {
  public static final long UNKNOWN = 0L;

  private Keys() {}

  /** The key of a song as events name it: artist and title, compared loosely. */
  public static long song(String artist, String title) {
    if (isBlank(artist) || isBlank(title)) {
      return UNKNOWN;
    }
    return hash("song", normalize(artist), normalize(title));
  }

  public static long artist(String name) {
    return isBlank(name) ? UNKNOWN : hash("artist", normalize(name));
  }

  public static long location(String city, String state, String zip) {
    if (isBlank(city) || isBlank(state)) {
      return UNKNOWN;
    }
    return hash("location", normalize(city), normalize(state), zip == null ? "" : zip.strip());
  }

  /** A version of a user in the type-2 dimension: the user and when the version starts. */
  public static long userVersion(long userId, long activationMillis) {
    return hash("user", Long.toString(userId), Long.toString(activationMillis));
  }

  /** Case, surrounding and repeated whitespace do not make a different member. */
  public static String normalize(String s) {
    return s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private static long hash(String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        sha.update(p.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      long h = ByteBuffer.wrap(sha.digest()).getLong() & Long.MAX_VALUE;
      return h == UNKNOWN ? 1 : h;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
