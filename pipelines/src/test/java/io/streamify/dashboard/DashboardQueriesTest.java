package io.streamify.dashboard;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.google.api.services.bigquery.model.QueryParameter;
import com.google.api.services.bigquery.model.QueryRequest;
import com.google.api.services.bigquery.model.TableCell;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's queries are written once for both engines: every file in sql/dashboard is listed,
 * uses only the filter's parameters, filters by state and period where it takes a filter, becomes
 * JDBC's positional form for DuckDB and a typed named-parameter request for BigQuery. (Their
 * results on a real warehouse are checked by the end-to-end dashboard test.)
 */
class DashboardQueriesTest {
  static final DashboardQueries.Filter FILTER =
      new DashboardQueries.Filter(
          LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-22"), "CA");

  @Test
  void everyQueryFileIsListedAndUsesOnlyTheFiltersParameters() throws Exception {
    TreeSet<String> files;
    try (var listing = Files.list(Path.of("..", "sql", "dashboard"))) {
      files =
          listing
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".sql"))
              .map(n -> n.substring(0, n.length() - 4))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    assertThat(files, equalTo(new TreeSet<>(DashboardQueries.NAMES)));
    Map<String, Object> params = FILTER.parameters();
    for (String name : DashboardQueries.NAMES) {
      String sql = DashboardQueries.text(name);
      List<String> used = DashboardQueries.parameterNames(sql);
      assertThat(name, params.keySet().containsAll(used), is(true));
      assertThat(name, sql, containsString("{{dataset}}"));
      if (DashboardQueries.FILTERED.contains(name)) {
        assertThat(name + " filters by state", used, hasItem("state"));
        assertThat(
            name + " is bounded in time",
            used,
            hasItem(name.equals("activity_by_hour") ? "day_end" : "to_ts"));
      } else {
        assertThat(name, used, empty());
      }
    }
  }

  @Test
  void theFilterGivesThePeriodThePreviousOneAndTheLastDay() {
    assertThat(
        FILTER.parameters(),
        equalTo(
            new LinkedHashMap<>(
                Map.of(
                    "from_ts", Instant.parse("2026-11-20T00:00:00Z"),
                    "to_ts", Instant.parse("2026-11-23T00:00:00Z"),
                    "prev_from_ts", Instant.parse("2026-11-17T00:00:00Z"),
                    "prev_to_ts", Instant.parse("2026-11-20T00:00:00Z"),
                    "state", "CA",
                    "day_start", Instant.parse("2026-11-22T00:00:00Z"),
                    "day_end", Instant.parse("2026-11-23T00:00:00Z"),
                    "prev_day_start", Instant.parse("2026-11-21T00:00:00Z")))));
  }

  @Test
  void duckDbGetsPositionalParametersInOrder() {
    String sql = DashboardQueries.forDataset("kpis", "");
    String positional = DashboardQueries.positional(sql);
    assertThat(positional, not(containsString("@")));
    assertThat(
        positional.chars().filter(c -> c == '?').count(),
        is((long) DashboardQueries.parameterNames(sql).size()));
    assertThat(
        DashboardQueries.parameterNames(sql),
        equalTo(
            List.of(
                "from_ts",
                "from_ts",
                "from_ts",
                "from_ts",
                "from_ts",
                "prev_from_ts",
                "prev_to_ts",
                "from_ts",
                "to_ts",
                "state",
                "state")));
  }

  @Test
  void aDayStillLoadingComparesWithTheSameHoursOfTheDayBefore() {
    DashboardQueries.Filter today =
        new DashboardQueries.Filter(
            LocalDate.parse("2026-11-24"),
            LocalDate.parse("2026-11-24"),
            "",
            Instant.parse("2026-11-24T09:00:00Z"));
    assertThat(today.parameters().get("prev_from_ts"), is(Instant.parse("2026-11-23T00:00:00Z")));
    assertThat(today.parameters().get("prev_to_ts"), is(Instant.parse("2026-11-23T09:00:00Z")));
    assertThat(today.comparedLabel(), is("2026-11-24 00:00–09:00 UTC"));
    assertThat(today.previousLabel(), is("2026-11-23 00:00–09:00 UTC"));
    // a whole week compares with the week before, whole
    DashboardQueries.Filter week =
        new DashboardQueries.Filter(
            LocalDate.parse("2026-11-16"),
            LocalDate.parse("2026-11-22"),
            "",
            Instant.parse("2026-11-24T09:00:00Z"));
    assertThat(week.previousLabel(), is("2026-11-09 00:00–2026-11-15 24:00 UTC"));
    // data ending inside a longer period cuts the previous one at the same point
    DashboardQueries.Filter twoDays =
        new DashboardQueries.Filter(
            LocalDate.parse("2026-11-23"),
            LocalDate.parse("2026-11-24"),
            "",
            Instant.parse("2026-11-24T09:00:00Z"));
    assertThat(twoDays.previousLabel(), is("2026-11-21 00:00–2026-11-22 09:00 UTC"));
  }

  @Test
  void aPeriodLongerThanAYearIsRefused() {
    IllegalArgumentException e =
        Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                new DashboardQueries.Filter(
                    LocalDate.parse("2020-01-01"), LocalDate.parse("2026-11-24"), ""));
    assertThat(
        e.getMessage(),
        is("the period is at most 366 days, got 2520 (2020-01-01 to" + " 2026-11-24)"));
  }

  @Test
  void bigQueryGetsTheDatasetAndTypedNamedParameters() {
    QueryRequest r =
        BigQueryQueries.request("top_songs", "my-project", "streamify", FILTER.parameters());
    assertThat(r.getQuery(), containsString("FROM `my-project.streamify`.wide_stream"));
    assertThat(r.getQuery(), not(containsString("{{")));
    assertThat(r.getUseLegacySql(), is(false));
    assertThat(r.getParameterMode(), is("NAMED"));
    Map<String, String> params = new LinkedHashMap<>();
    for (QueryParameter p : r.getQueryParameters()) {
      params.put(
          p.getName(), p.getParameterType().getType() + " " + p.getParameterValue().getValue());
    }
    assertThat(
        params,
        equalTo(
            Map.of(
                "from_ts",
                "TIMESTAMP 2026-11-20T00:00:00Z",
                "to_ts",
                "TIMESTAMP 2026-11-23T00:00:00Z",
                "state",
                "STRING CA")));
  }

  @Test
  void bigQueryRowsBecomeTheDashboardsValues() {
    TableSchema schema =
        new TableSchema()
            .setFields(
                List.of(
                    new TableFieldSchema().setName("streams").setType("INTEGER"),
                    new TableFieldSchema().setName("hours_played").setType("FLOAT"),
                    new TableFieldSchema().setName("last_ts").setType("TIMESTAMP"),
                    new TableFieldSchema().setName("state_code").setType("STRING")));
    TableRow row =
        new TableRow()
            .setF(
                List.of(
                    new TableCell().setV("5055"),
                    new TableCell().setV("389.2"),
                    new TableCell().setV("1795190399725000"),
                    new TableCell().setV(null)));
    List<Map<String, Object>> rows = BigQueryQueries.rows(schema, List.of(row));
    assertThat(rows.size(), is(1));
    assertThat(rows.get(0).get("streams"), is(5055L));
    assertThat(rows.get(0).get("hours_played"), is(389.2));
    assertThat(rows.get(0).get("last_ts"), is("2026-11-20T15:59:59.725Z"));
    assertThat(rows.get(0).containsKey("state_code"), is(true));
    assertThat(rows.get(0).get("state_code"), is((Object) null));
  }
}
