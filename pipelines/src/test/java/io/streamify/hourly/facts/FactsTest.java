package io.streamify.hourly.facts;

import static io.streamify.hourly.staging.StagedEvents.listen;
import static io.streamify.hourly.staging.StagedEvents.login;
import static io.streamify.hourly.staging.StagedEvents.pageView;
import static io.streamify.hourly.staging.StagedEvents.statusChange;
import static io.streamify.hourly.staging.StagedEvents.ts;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.streamify.hourly.staging.StagedEvent;
import io.streamify.warehouse.Keys;
import io.streamify.warehouse.rows.FactLogin;
import io.streamify.warehouse.rows.FactPageView;
import io.streamify.warehouse.rows.FactStream;
import io.streamify.warehouse.rows.FactSubscriptionChange;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;

/** The four fact models: one staged event → its exact fact row. */
class FactsTest {
  static final long TAMPA = Keys.location("Tampa", "FL", "33601");

  @Test
  void aListenIsAStreamWithItsSongArtistPlaceAndHour() {
    StagedEvent e = listen("2026-11-23T13:05:00.250Z", 7, 3, 42L, "paid", "Muse", "Uprising");
    FactStream expected =
        new FactStream(
            ts("2026-11-23T13:05:00.250Z"),
            2026112313L,
            7,
            3,
            42,
            "paid",
            Keys.song("Muse", "Uprising"),
            Keys.artist("Muse"),
            TAMPA,
            215.5,
            "Mozilla/5.0");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PAssert.that(p.apply(Create.of(e).withCoder(StagedEvent.TYPE.coder())).apply(new FactStreams()))
        .containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void aListenWithoutATitleHasTheUnknownSongButItsArtist() {
    FactStream f = FactStreams.row(listen("2026-11-23T13:05:00Z", 7, 3, 42L, "free", "Muse", ""));
    assertThat(f.songKey(), equalTo(Keys.UNKNOWN));
    assertThat(f.artistKey(), equalTo(Keys.artist("Muse")));
  }

  @Test
  void aGuestsPageViewIsTheUnknownUsers() {
    assertThat(
        FactPageViews.row(pageView("2026-11-23T13:00:00Z", 9, 0, null, "free", "Home", "Guest")),
        equalTo(
            new FactPageView(
                ts("2026-11-23T13:00:00Z"),
                2026112313L,
                9,
                0,
                Keys.UNKNOWN,
                "free",
                "Guest",
                "Home",
                "GET",
                200,
                TAMPA)));
  }

  @Test
  void aLoginWithoutAPlaceHasTheUnknownPlace() {
    assertThat(
        FactLogins.row(login("2026-11-23T23:59:59.999Z", 9, 1, 42L, false, "", "FL")),
        equalTo(
            new FactLogin(
                ts("2026-11-23T23:59:59.999Z"), 2026112323L, 9, 1, 42, "free", false, 0L)));
  }

  @Test
  void aStatusChangeGoesFromTheEventsLevelToTheOther() {
    assertThat(
        FactSubscriptionChanges.row(statusChange("2026-11-23T13:00:00Z", 9, 2, 42, "free")),
        equalTo(
            new FactSubscriptionChange(
                ts("2026-11-23T13:00:00Z"), 2026112313L, 9, 2, 42, "free", "paid", TAMPA)));
    assertThat(
        FactSubscriptionChanges.row(statusChange("2026-11-23T13:00:00Z", 9, 2, 42, "paid"))
            .toLevel(),
        equalTo("free"));
  }
}
