package io.streamify.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * The BigQuery commit of an hourly run, as text (LoadBigQueryTest runs it on Beam's fakes), and the
 * partition budget it exists for: five years of hourly loads in day partitions stay far below
 * BigQuery's 10,000 partitions per table, and a run changes far fewer than the 4,000 partitions one
 * job may modify (BigQuery's quotas page, "Partitioned tables").
 */
class BigQueryHourReplacementTest {
  static long hour(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void contiguousHoursAreOneRangeAndEveryHourlyTableIsReplacedThenTheManifestsAppended() {
    String script =
        BigQueryHourReplacement.script(
            "p",
            "d",
            "hourly-20261124T1410-ab12",
            List.of(
                hour("2026-11-24T13:00:00Z"),
                hour("2026-11-24T11:00:00Z"),
                hour("2026-11-24T12:00:00Z"),
                hour("2026-11-23T23:00:00Z")));
    String ranges =
        "(ts >= TIMESTAMP '2026-11-23 23:00:00+00' AND ts < TIMESTAMP '2026-11-24"
            + " 00:00:00+00') OR (ts >= TIMESTAMP '2026-11-24 11:00:00+00' AND ts < TIMESTAMP"
            + " '2026-11-24 14:00:00+00')";
    StringBuilder want = new StringBuilder("BEGIN TRANSACTION;\n");
    for (String t :
        List.of(
            "listen_events",
            "page_view_events",
            "auth_events",
            "status_change_events",
            "fact_streams",
            "fact_page_views",
            "fact_logins",
            "fact_subscription_changes",
            "rejects")) {
      String columns = columns(t);
      want.append("DELETE FROM `p.d.")
          .append(t)
          .append("` WHERE ")
          .append(ranges)
          .append(";\n")
          .append("INSERT INTO `p.d.")
          .append(t)
          .append("` (")
          .append(columns)
          .append(") SELECT ")
          .append(columns)
          .append(" FROM `p.d._staging_hourly_20261124T1410_ab12_")
          .append(t)
          .append("`;\n");
    }
    want.append(
        "INSERT INTO `p.d.load_manifests` ("
            + columns("load_manifests")
            + ") SELECT "
            + columns("load_manifests")
            + " FROM `p.d._staging_hourly_20261124T1410_ab12_load"
            + "_manifests`;\nCOMMIT TRANSACTION;\n");
    assertThat(
        columns("fact_streams"),
        Matchers.startsWith("ts, datetime_key," + " session_id, item_in_session, user_id, "));
    assertThat(script, equalTo(want.toString()));
  }

  /** A table's columns by name, in its schema's order. */
  static String columns(String table) {
    return String.join(
        ", ",
        WarehouseTable.valueOf(table.toUpperCase(Locale.ROOT)).schema().getFields().stream()
            .map(Schema.Field::name)
            .toList());
  }

  @Test
  void withEveryHourHeldBackOnlyTheEmptyStagedRowsAreInserted() {
    String script = BigQueryHourReplacement.script("p", "d", "r", List.of());
    assertThat(script.contains("DELETE"), is(false));
    assertThat(
        script.startsWith(
            "BEGIN TRANSACTION;\nINSERT INTO `p.d.listen_events` ("
                + columns("listen_events")
                + ") SELECT "
                + columns("listen_events")
                + " FROM `p.d._staging_r_listen_events`;\n"),
        is(true));
  }

  @Test
  void fiveYearsOfHourlyLoadsFitBigQuerysPartitionLimits() {
    // every hourly table is partitioned by day (what Terraform's tables.json and the loads say)
    for (WarehouseTable t : WarehouseTable.values()) {
      if (t.kind() == WarehouseTable.Kind.HOURLY) {
        assertThat(t.tableName(), BigQueryWarehouse.partitioning(t).getType(), is("DAY"));
      }
    }
    long fiveYearsOfHours = 5L * 366 * 24;
    long partitions =
        fiveYearsOfHours
            / switch (BigQueryWarehouse.PARTITION_TYPE) {
              case "HOUR" -> 1;
              case "DAY" -> 24;
              case "MONTH" -> 24 * 28;
              default -> throw new AssertionError(BigQueryWarehouse.PARTITION_TYPE);
            };
    assertThat(partitions, is(1830L));
    assertThat(partitions, lessThan(10_000L));
    // an hourly run replaces at most maxHoursPerRun (168 at most) hours: 8 days
    assertThat(168 / 24 + 1L, lessThan(4_000L));
    // what hour partitions would have reached: BigQuery's limit after about 14 months
    assertThat(10_000 / 24 / 30, is(13));
  }
}
