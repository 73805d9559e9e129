package io.streamify.dashboard;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything the dashboard page shows, as one JSON-ready map per request, from one warehouse. */
public final class Dashboard {
  private final WarehouseQueries warehouse;

  public Dashboard(WarehouseQueries warehouse) {
    this.warehouse = warehouse;
  }

  public String description() {
    return warehouse.description();
  }

  /** What is in the warehouse: its first and last day, how many streams, the states. */
  public Map<String, Object> meta() throws Exception {
    Map<String, Object> range = warehouse.run("data_range", Map.of()).get(0);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("warehouse", warehouse.description());
    meta.put("streams", range.get("streams"));
    meta.put("firstTs", range.get("first_ts"));
    meta.put("lastTs", range.get("last_ts"));
    meta.put("firstDay", day(range.get("first_ts")));
    meta.put("lastDay", day(range.get("last_ts")));
    meta.put("states", warehouse.run("states", Map.of()));
    return meta;
  }

  private static String day(Object ts) {
    return ts == null
        ? null
        : Instant.parse((String) ts).atZone(ZoneOffset.UTC).toLocalDate().toString();
  }

  /** The default filter: the last day with data (today when there is none), all states. */
  public DashboardQueries.Filter defaultFilter() throws Exception {
    Object last = warehouse.run("data_range", Map.of()).get(0).get("last_ts");
    LocalDate day = last == null ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(day(last));
    return new DashboardQueries.Filter(day, day, "", dataEnd(last));
  }

  /** The end of the hour of the last listen (exclusive), or null without data. */
  private static Instant dataEnd(Object lastTs) {
    if (lastTs == null) {
      return null;
    }
    long t = Instant.parse((String) lastTs).toEpochMilli();
    return Instant.ofEpochMilli(t - Math.floorMod(t, 3_600_000L) + 3_600_000L);
  }

  /** Every tile's data for a filter. */
  public Map<String, Object> data(DashboardQueries.Filter filter) throws Exception {
    Map<String, Object> params = filter.parameters();
    Map<String, Object> data = new LinkedHashMap<>();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("from", filter.from().toString());
    f.put("to", filter.to().toString());
    f.put("state", filter.state());
    f.put("compared", filter.comparedLabel());
    f.put("previous", filter.previousLabel());
    data.put("filter", f);
    data.put("kpis", warehouse.run("kpis", params).get(0));
    data.put("users", warehouse.run("users", params).get(0).get("users"));
    data.put("byState", warehouse.run("streams_by_state", params));
    data.put("topSongs", warehouse.run("top_songs", params));
    data.put("topArtists", warehouse.run("top_artists", params));
    data.put("gender", warehouse.run("gender", params));
    data.put("levelByGender", warehouse.run("level_by_gender", params));
    data.put("activityByHour", warehouse.run("activity_by_hour", params));
    return data;
  }

  /** The filter from the page's query parameters, each defaulting to {@link #defaultFilter}. */
  public DashboardQueries.Filter filter(Map<String, String> query) throws Exception {
    DashboardQueries.Filter d = defaultFilter(); // also where the data ends
    try {
      LocalDate to = query.containsKey("to") ? LocalDate.parse(query.get("to")) : d.to();
      LocalDate from =
          query.containsKey("from")
              ? LocalDate.parse(query.get("from"))
              : (!query.containsKey("to") ? d.from() : to);
      return new DashboardQueries.Filter(from, to, query.getOrDefault("state", ""), d.dataEnd());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("dates are YYYY-MM-DD: " + e.getParsedString());
    }
  }

  /** For tests and logs: the names of the tiles {@link #data} returns. */
  public static final List<String> TILES =
      List.of(
          "kpis",
          "users",
          "byState",
          "topSongs",
          "topArtists",
          "gender",
          "levelByGender",
          "activityByHour");
}
