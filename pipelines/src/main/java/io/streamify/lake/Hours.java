package io.streamify.lake;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Hours as the lake partitions and the pipelines name them: {@code 2026-11-24T13}, UTC. */
public final class Hours {
  public static final long MILLIS = Duration.ofHours(1).toMillis();
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH");

  private Hours() {}

  /** The start of the hour named, e.g. {@code 2026-11-24T13}; a clear error otherwise. */
  public static Instant parse(String hour) {
    LocalDateTime t;
    try {
      t = LocalDateTime.parse(hour.strip(), FORMAT);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "an hour is written like 2026-11-24T13 (UTC), got '" + hour + "'");
    }
    if (t.getYear() < 1970 || t.getYear() > 9999) {
      throw new IllegalArgumentException(
          "an hour between 1970 and 9999, like 2026-11-24T13" + " (UTC), got '" + hour + "'");
    }
    return t.toInstant(ZoneOffset.UTC);
  }

  public static String format(Instant hourStart) {
    return FORMAT.format(LocalDateTime.ofInstant(hourStart, ZoneOffset.UTC));
  }

  /** The last hour that is complete at {@code now}. */
  public static Instant lastComplete(Instant now) {
    return now.truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
  }

  /** Every hour from {@code first} to {@code last}, both included, as epoch millis. */
  public static List<Long> range(Instant first, Instant last) {
    if (last.isBefore(first)) {
      throw new IllegalArgumentException(
          "the hour range ends (" + format(last) + ") before it starts (" + format(first) + ")");
    }
    List<Long> hours = new ArrayList<>();
    for (long h = first.toEpochMilli(); h <= last.toEpochMilli(); h += MILLIS) {
      hours.add(h);
    }
    return hours;
  }

  /** The start (epoch ms) of the hour a datetime key (yyyyMMddHH) names. */
  public static long fromDatetimeKey(long key) {
    return LocalDateTime.of(
            (int) (key / 1_000_000),
            (int) (key / 10_000 % 100),
            (int) (key / 100 % 100),
            (int) (key % 100),
            0)
        .toInstant(ZoneOffset.UTC)
        .toEpochMilli();
  }

  /** The hour's key in dim_datetime and the facts: yyyyMMddHH as a number. */
  public static long datetimeKey(long epochMillis) {
    LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    return t.getYear() * 1_000_000L
        + t.getMonthValue() * 10_000L
        + t.getDayOfMonth() * 100L
        + t.getHour();
  }
}
