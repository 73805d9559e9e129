package io.streamify.dashboard;

import io.streamify.warehouse.WarehouseSql;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard's queries ({@code sql/dashboard/}, one file per tile) and their parameters. The
 * files are written once for DuckDB and BigQuery: a {@code {{dataset}}} placeholder before table
 * names and BigQuery's named parameters ({@code @from_ts}); {@link #positional} turns the latter
 * into JDBC's {@code ?} for DuckDB.
 */
public final class DashboardQueries {
  /** Every query of the dashboard, by file name (without .sql). */
  public static final List<String> NAMES =
      List.of(
          "kpis",
          "users",
          "streams_by_state",
          "top_songs",
          "top_artists",
          "gender",
          "level_by_gender",
          "activity_by_hour",
          "data_range",
          "states");

  /** The queries that take a {@link Filter}; data_range and states take none. */
  public static final List<String> FILTERED = NAMES.subList(0, 8);

  private static final Pattern PARAMETER = Pattern.compile("@([a-z_]+)");

  private DashboardQueries() {}

  /** A query as written in sql/dashboard. */
  public static String text(String name) {
    return WarehouseSql.sqlFile("dashboard/" + name + ".sql");
  }

  /** The query for a dataset prefix: "" on DuckDB, "`project.dataset`." on BigQuery. */
  public static String forDataset(String name, String datasetPrefix) {
    return text(name).replace("{{dataset}}", datasetPrefix);
  }

  /** The named parameters of a query, in order of appearance (repeats included). */
  public static List<String> parameterNames(String sql) {
    List<String> names = new ArrayList<>();
    Matcher m = PARAMETER.matcher(sql);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** The query with each {@code @name} replaced by {@code ?} (JDBC). */
  public static String positional(String sql) {
    return PARAMETER.matcher(sql).replaceAll("?");
  }

  /** The longest period one request may ask for: each request scans it (billed on BigQuery). */
  public static final int MAX_DAYS = 366;

  /**
   * What the dashboard shows: whole UTC days {@code from}..{@code to} (inclusive), a state code or
   * "" for all states, and where the data ends ({@code dataEnd}, exclusive: the end of the last
   * hour with data; null when unknown). The change against the previous period compares equal
   * spans: when the data ends inside the period (a day still loading), the previous period is cut
   * at the same hour, so today 00:00–09:00 compares with yesterday 00:00–09:00.
   *
   * @throws IllegalArgumentException when the period ends before it starts, is longer than {@link
   *     #MAX_DAYS}, or the state is not two capital letters
   */
  public record Filter(LocalDate from, LocalDate to, String state, Instant dataEnd) {
    public Filter(LocalDate from, LocalDate to, String state) {
      this(from, to, state, null);
    }

    public Filter {
      if (from.getYear() < 1970 || to.getYear() > 9999) {
        throw new IllegalArgumentException(
            "dates are between 1970-01-01 and 9999-12-31, got " + from + " to " + to);
      }
      if (to.isBefore(from)) {
        throw new IllegalArgumentException(
            "the period ends (" + to + ") before it starts (" + from + ")");
      }
      if (to.toEpochDay() - from.toEpochDay() + 1 > MAX_DAYS) {
        throw new IllegalArgumentException(
            "the period is at most "
                + MAX_DAYS
                + " days, got "
                + (to.toEpochDay() - from.toEpochDay() + 1)
                + " ("
                + from
                + " to "
                + to
                + ")");
      }
      if (!state.isEmpty() && !state.matches("[A-Z]{2}")) {
        throw new IllegalArgumentException("a state is a two-letter code, got '" + state + "'");
      }
    }

    /** The values of every parameter the queries use. */
    public Map<String, Object> parameters() {
      Instant fromTs = startOf(from);
      Instant toTs = startOf(to.plusDays(1));
      long days = to.toEpochDay() - from.toEpochDay() + 1;
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("from_ts", fromTs);
      p.put("to_ts", toTs);
      p.put("prev_from_ts", startOf(from.minusDays(days)));
      p.put("prev_to_ts", comparedEnd().minus(Duration.ofDays(days)));
      p.put("state", state);
      p.put("day_start", startOf(to));
      p.put("day_end", toTs);
      p.put("prev_day_start", startOf(to.minusDays(1)));
      return p;
    }

    /** The end of the span compared: the period's end, or where the data ends inside it. */
    public Instant comparedEnd() {
      Instant toTs = startOf(to.plusDays(1));
      return dataEnd != null && dataEnd.isAfter(startOf(from)) && dataEnd.isBefore(toTs)
          ? dataEnd
          : toTs;
    }

    /** The previous period as the page names it, e.g. "2026-11-23 00:00–09:00 UTC". */
    public String previousLabel() {
      long days = to.toEpochDay() - from.toEpochDay() + 1;
      return span(startOf(from.minusDays(days)), comparedEnd().minus(Duration.ofDays(days)));
    }

    /** The span compared in this period, e.g. "2026-11-24 00:00–09:00 UTC". */
    public String comparedLabel() {
      return span(startOf(from), comparedEnd());
    }

    private static String span(Instant start, Instant end) {
      LocalDateTime s = LocalDateTime.ofInstant(start, ZoneOffset.UTC);
      LocalDateTime e = LocalDateTime.ofInstant(end, ZoneOffset.UTC);
      boolean midnight = e.toLocalTime().equals(LocalTime.MIDNIGHT);
      LocalDate endDay = midnight ? e.toLocalDate().minusDays(1) : e.toLocalDate();
      return s.toLocalDate()
          + " "
          + s.toLocalTime()
          + "–"
          + (endDay.equals(s.toLocalDate()) ? "" : endDay + " ")
          + (midnight ? "24:00" : e.toLocalTime().toString())
          + " UTC";
    }

    private static Instant startOf(LocalDate day) {
      return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
  }
}
