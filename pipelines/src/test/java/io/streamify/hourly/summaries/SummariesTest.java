package io.streamify.hourly.summaries;

import static io.streamify.hourly.staging.StagedEvents.listen;
import static io.streamify.hourly.staging.StagedEvents.login;
import static io.streamify.hourly.staging.StagedEvents.pageView;
import static io.streamify.hourly.staging.StagedEvents.statusChange;
import static io.streamify.hourly.staging.StagedEvents.ts;

import io.streamify.hourly.staging.StagedEvent;
import io.streamify.lake.TableHour;
import io.streamify.warehouse.Keys;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

/** The per-hour summaries: observations of staged events, reduced per member and hour. */
class SummariesTest {
  static final long H13 = ts("2026-11-23T13:00:00Z");
  static final long H14 = ts("2026-11-23T14:00:00Z");

  static PCollection<StagedEvent> events(Pipeline p, StagedEvent... events) {
    return p.apply(Create.of(List.of(events)).withCoder(StagedEvent.TYPE.coder()));
  }

  @Test
  void anHoursLevelSummaryIsItsFirstLevelAndEveryChangeInTimeOrder() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    StagedEvent a = listen("2026-11-23T13:40:00Z", 1, 2, 42L, "paid", "Muse", "Uprising");
    StagedEvent b = listen("2026-11-23T13:10:00Z", 1, 0, 42L, "free", "Muse", "Uprising");
    StagedEvent c = listen("2026-11-23T13:20:00Z", 1, 1, 42L, "free", "Muse", "Uprising");
    StagedEvent d = listen("2026-11-23T14:05:00Z", 2, 0, 42L, "paid", "Muse", "Uprising");
    StagedEvent guest = pageView("2026-11-23T13:00:00Z", 3, 0, null, "free", "Home", "Guest");
    PCollection<KV<Long, UserLevel>> summary =
        events(p, a, b, c, d, guest)
            .apply(new Observations.UserLevels(false))
            .apply(new Summaries.LevelChanges());
    PAssert.that(summary)
        .containsInAnyOrder(
            KV.of(H13, Observations.UserLevels.of(b, false)),
            KV.of(H13, Observations.UserLevels.of(a, false)),
            KV.of(H14, Observations.UserLevels.of(d, false)));
    p.run().waitUntilFinish();
  }

  @Test
  void aStatusChangeObservesTheLevelItLeadsToAfterTheEventsOfItsInstant() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    StagedEvent e = statusChange("2026-11-23T13:10:00Z", 1, 1, 42, "free");
    PAssert.that(events(p, e).apply(new Observations.UserLevels(true)))
        .containsInAnyOrder(
            KV.of(
                new HourMember(H13, 42),
                new UserLevel(
                    42,
                    e.ts(),
                    UserLevel.CHANGE,
                    "paid",
                    "Ann",
                    "Lee",
                    "F",
                    ts("2026-01-02T03:04:05Z"))));
    p.run().waitUntilFinish();
  }

  @Test
  void aPlaceIsOneRowPerHourTheLeastOfItsSpellingsAndAnUnknownPlaceNone() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    long fl = Keys.location("Tampa", "FL", "");
    PCollection<KV<Long, Location>> places =
        events(
                p,
                login("2026-11-23T13:10:00Z", 1, 0, 42L, true, "tampa", "FL"),
                login("2026-11-23T13:20:00Z", 1, 1, 42L, true, "Tampa", "FL"),
                login("2026-11-23T14:20:00Z", 1, 2, 42L, true, "Tampa", "FL"),
                login("2026-11-23T13:30:00Z", 1, 3, 42L, true, "", "FL"))
            .apply(new Observations.Places())
            .apply(new Summaries.OnePerMember<>(Location.TYPE));
    PAssert.that(places)
        .containsInAnyOrder(
            KV.of(H13, new Location(fl, "Tampa", "FL", "", null, null)),
            KV.of(H14, new Location(fl, "Tampa", "FL", "", null, null)));
    p.run().waitUntilFinish();
  }

  @Test
  void songsHeardAndAnArtistWithoutATitleAreMembersButAListenWithoutArtistIsNot() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    long muse = Keys.artist("Muse");
    PCollection<KV<Long, Song>> songs =
        events(
                p,
                listen("2026-11-23T13:10:00Z", 1, 0, 42L, "free", "Muse", "Uprising"),
                listen("2026-11-23T13:20:00Z", 1, 1, 42L, "free", "MUSE", "uprising"),
                listen("2026-11-23T13:30:00Z", 1, 2, 42L, "free", "Muse", ""),
                listen("2026-11-23T13:40:00Z", 1, 3, 42L, "free", "", "Uprising"))
            .apply(new Observations.Songs())
            .apply(new Summaries.OnePerMember<>(Song.TYPE));
    PAssert.that(songs)
        .containsInAnyOrder(
            KV.of(H13, new Song(Keys.song("Muse", "Uprising"), "MUSE", "uprising", 215.5)),
            KV.of(H13, new Song(Keys.UNKNOWN, "Muse", "", 215.5)));
    PAssert.that(
            events(p, listen("2026-11-23T13:30:00Z", 1, 2, 42L, "free", "Muse", ""))
                .apply("Artist only", new Observations.Songs()))
        .containsInAnyOrder(KV.of(new HourMember(H13, muse), new Song(0, "Muse", "", 215.5)));
    p.run().waitUntilFinish();
  }

  @Test
  void everyProcessedHourAndEventTableHasOneCountRowEvenWhenEmpty() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    KvCoder<TableHour, Long> coder = KvCoder.of(TableHour.TYPE.coder(), VarLongCoder.of());
    TableHour listens13 = new TableHour("listen_events", H13);
    TableHour outside = new TableHour("listen_events", ts("2026-11-23T15:00:00Z"));
    PCollection<KV<Long, HourCount>> counts =
        PCollectionTuple.of(
                HourCounts.LAKE,
                p.apply(
                    "Lake", Create.of(KV.of(listens13, 5L), KV.of(outside, 1L)).withCoder(coder)))
            .and(HourCounts.KEPT, p.apply("Kept", Create.of(KV.of(listens13, 3L)).withCoder(coder)))
            .and(
                HourCounts.DUPLICATES,
                p.apply("Duplicates", Create.of(KV.of(listens13, 1L)).withCoder(coder)))
            .and(
                HourCounts.REJECTED,
                p.apply("Rejected", Create.of(KV.of(listens13, 1L)).withCoder(coder)))
            .apply(new HourCounts(List.of(H13)));
    PAssert.that(counts)
        .containsInAnyOrder(
            KV.of(H13, new HourCount(H13, "listen_events", 5, 3, 1, 1)),
            KV.of(H13, new HourCount(H13, "page_view_events", 0, 0, 0, 0)),
            KV.of(H13, new HourCount(H13, "auth_events", 0, 0, 0, 0)),
            KV.of(H13, new HourCount(H13, "status_change_events", 0, 0, 0, 0)));
    p.run().waitUntilFinish();
  }
}
