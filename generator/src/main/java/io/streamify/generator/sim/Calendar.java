package io.streamify.generator.sim;

import io.streamify.generator.config.SimConfig;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * eventsim's clock, in UTC epoch milliseconds: the daily sine warp of session start times (traffic
 * peaks in the afternoon, troughs around 03:00), weekend and US-holiday damping with its ramps, and
 * the choice of a user's next session start.
 */
public final class Calendar {
  public static final long SECOND = 1000L;
  public static final long DAY = 86_400_000L;
  public static final double YEAR_SECONDS = 365.0 * 86400;
  private static final long THREE_AM = 3 * 3_600_000L;

  private final double damping;
  private final double weekendDamping;
  private final long offsetMs;
  private final long scaleMs;
  private final long sessionGapMs;
  private final ConcurrentHashMap<Integer, long[]> holidaysByYear = new ConcurrentHashMap<>();

  public Calendar(SimConfig config) {
    this.damping = config.damping();
    this.weekendDamping = config.weekendDamping();
    this.offsetMs = config.weekendDampingOffsetMinutes() * 60_000L;
    this.scaleMs = config.weekendDampingScaleMinutes() * 60_000L;
    this.sessionGapMs = config.sessionGapSeconds() * SECOND;
  }

  /** Shifts t by damping·day·sin(2π(time of day − 03:00)/day): sessions bunch up after noon. */
  public long warp(long t) {
    long ms = Math.floorMod(t, DAY);
    return t + (long) (damping * DAY * Math.sin((ms - THREE_AM) * 2 * Math.PI / DAY));
  }

  /** The share of sessions dropped at t: full on weekends and holidays, ramping in and out. */
  public double weekendDamping(long t) {
    long day = Math.floorDiv(t, DAY);
    long m = t - day * DAY;
    boolean today = isWeekendOrHoliday(day);
    double v;
    if (today) {
      v = weekendDamping;
      if (!isWeekendOrHoliday(day - 1)) {
        v = Math.min(v, weekendDamping * (m + offsetMs) / scaleMs);
      }
      if (!isWeekendOrHoliday(day + 1)) {
        v = Math.min(v, weekendDamping * (DAY + offsetMs - m) / scaleMs);
      }
    } else {
      v = 0;
      if (isWeekendOrHoliday(day + 1)) {
        v = Math.max(v, weekendDamping * (m - (DAY - offsetMs)) / scaleMs);
      }
      if (isWeekendOrHoliday(day - 1)) {
        v = Math.max(v, weekendDamping * (offsetMs - m) / scaleMs);
      }
    }
    return Math.max(0, Math.min(weekendDamping, v));
  }

  /**
   * The start of the session after one that began or ended at {@code last}: an exponential gap with
   * mean beta plus the minimum session gap, warped by time of day, thinned on weekends.
   */
  public long nextSessionStart(long last, double betaSeconds, SplittableRandom rng) {
    long base = last;
    while (true) {
      long gap = (long) (-betaSeconds * SECOND * Math.log(1.0 - rng.nextDouble())) + sessionGapMs;
      long candidate = warp(base + gap);
      if (candidate < base) {
        base += sessionGapMs; // the warp pulled it backwards: force progress
        continue;
      }
      double d = weekendDamping(candidate);
      if (d <= 0 || rng.nextDouble() < 1.0 - d) {
        return candidate;
      }
      base = candidate;
    }
  }

  public boolean isWeekendOrHoliday(long epochDay) {
    int dow = (int) Math.floorMod(epochDay + 3, 7); // 1970-01-01 was a Thursday; Monday = 0
    if (dow >= 5) {
      return true;
    }
    LocalDate d = LocalDate.ofEpochDay(epochDay);
    long[] holidays = holidaysByYear.computeIfAbsent(d.getYear(), Calendar::usHolidays);
    for (long h : holidays) {
      if (h == epochDay) {
        return true;
      }
    }
    return false;
  }

  /** US federal holidays of a year, on their actual dates. */
  static long[] usHolidays(int year) {
    LocalDate[] days = {
      LocalDate.of(year, Month.JANUARY, 1),
      nth(year, Month.JANUARY, DayOfWeek.MONDAY, 3),
      nth(year, Month.FEBRUARY, DayOfWeek.MONDAY, 3),
      LocalDate.of(year, Month.MAY, 31).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)),
      LocalDate.of(year, Month.JUNE, 19),
      LocalDate.of(year, Month.JULY, 4),
      nth(year, Month.SEPTEMBER, DayOfWeek.MONDAY, 1),
      nth(year, Month.OCTOBER, DayOfWeek.MONDAY, 2),
      LocalDate.of(year, Month.NOVEMBER, 11),
      nth(year, Month.NOVEMBER, DayOfWeek.THURSDAY, 4),
      LocalDate.of(year, Month.DECEMBER, 25)
    };
    long[] out = new long[days.length];
    for (int i = 0; i < days.length; i++) {
      out[i] = days[i].toEpochDay();
    }
    return out;
  }

  private static LocalDate nth(int year, Month month, DayOfWeek dow, int n) {
    return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, dow));
  }
}
