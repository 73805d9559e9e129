package io.streamify.hourly.dimensions;

import static io.streamify.hourly.staging.StagedEvents.ts;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.streamify.hourly.summaries.HourCount;
import io.streamify.warehouse.rows.DimDatetime;
import java.time.LocalDate;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** dim_datetime: every hour of every day from the first processed hour's day to the last's. */
class DimDatetimesTest {
  @Test
  void twoHoursOnTwoDaysGiveFortyEightHours() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<DimDatetime> hours =
        p.apply(
                Create.of(
                        new HourCount(ts("2026-11-28T23:00:00Z"), "listen_events", 1, 1, 0, 0),
                        new HourCount(ts("2026-11-29T05:00:00Z"), "auth_events", 0, 0, 0, 0))
                    .withCoder(HourCount.TYPE.coder()))
            .apply(new DimDatetimes());
    PAssert.thatSingleton(hours.apply(Count.globally())).isEqualTo(48L);
    PAssert.that(hours.apply(Filter.by(h -> h.datetimeKey() == 2026112823L)))
        .containsInAnyOrder(
            new DimDatetime(
                2026112823L,
                ts("2026-11-28T23:00:00Z"),
                (int) LocalDate.parse("2026-11-28").toEpochDay(),
                2026,
                4,
                11,
                "November",
                28,
                23,
                6,
                "Saturday",
                48,
                true));
    p.run().waitUntilFinish();
  }

  @Test
  void noProcessedHourNoRows() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PAssert.that(p.apply(Create.empty(HourCount.TYPE.coder())).apply(new DimDatetimes())).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void isoWeeksAndWeekdaysAtTheTurnOfTheYear() {
    DimDatetime d = DimDatetimes.row(ts("2027-01-01T00:00:00Z"));
    assertThat(d.dayName(), equalTo("Friday"));
    assertThat(d.dayOfWeek(), equalTo(5));
    assertThat(d.weekOfYear(), equalTo(53)); // 2027-01-01 is in ISO week 53 of 2026
    assertThat(d.quarter(), equalTo(1));
    assertThat(d.isWeekend(), equalTo(false));
  }
}
