package io.streamify.hourly.dimensions;

import static io.streamify.hourly.staging.StagedEvents.listen;
import static io.streamify.hourly.staging.StagedEvents.pageView;
import static io.streamify.hourly.staging.StagedEvents.statusChange;
import static io.streamify.hourly.staging.StagedEvents.ts;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.streamify.hourly.staging.StagedEvent;
import io.streamify.hourly.summaries.HourMember;
import io.streamify.hourly.summaries.Observations;
import io.streamify.hourly.summaries.Summaries;
import io.streamify.hourly.summaries.UserLevel;
import io.streamify.warehouse.Keys;
import io.streamify.warehouse.rows.DimUser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.junit.jupiter.api.Test;

/**
 * dim_users, SCD type 2 on level, from staged events through the observations and the per-hour
 * summary, as the hourly pipeline chains them: one test per edge case, exact rows.
 */
class DimUsersTest {
  static final long ANN = 42;
  static final long REGISTERED = ts("2026-01-02T03:04:05Z");

  /** Ann's version from {@code from} (inclusive) to {@code to} (exclusive; null: current). */
  static DimUser ann(String level, String from, String to) {
    long activation = ts(from);
    return new DimUser(
        Keys.userVersion(ANN, activation),
        ANN,
        "Ann",
        "Lee",
        "F",
        REGISTERED,
        level,
        activation,
        to == null ? DimUsers.END_OF_TIME : ts(to),
        to == null);
  }

  /** Runs events and status changes through observations, summaries and DimUsers. */
  static void assertVersions(
      List<StagedEvent> events, List<StagedEvent> changes, List<DimUser> expected) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<KV<HourMember, UserLevel>> fromEvents =
        p.apply("Events", Create.of(events).withCoder(StagedEvent.TYPE.coder()))
            .apply("Event levels", new Observations.UserLevels(false));
    PCollection<KV<HourMember, UserLevel>> fromChanges =
        p.apply("Changes", Create.of(changes).withCoder(StagedEvent.TYPE.coder()))
            .apply("Change levels", new Observations.UserLevels(true));
    PCollection<DimUser> users =
        PCollectionList.of(fromEvents)
            .and(fromChanges)
            .apply(Flatten.pCollections())
            .apply(new Summaries.LevelChanges())
            .apply(Values.create())
            .setCoder(UserLevel.TYPE.coder())
            .apply(new DimUsers());
    List<DimUser> all = new ArrayList<>(expected);
    all.add(DimUsers.UNKNOWN);
    PAssert.that(users).containsInAnyOrder(all);
    p.run().waitUntilFinish();
  }

  @Test
  void aUserWithOneLevelHasOneCurrentVersionFromTheFirstEvent() {
    assertVersions(
        List.of(
            listen("2026-11-23T13:05:00Z", 1, 0, ANN, "free", "Muse", "Uprising"),
            listen("2026-11-23T15:10:00Z", 2, 0, ANN, "free", "Muse", "Uprising")),
        List.of(),
        List.of(ann("free", "2026-11-23T13:05:00Z", null)));
  }

  @Test
  void aGuestWhoRegistersStartsAtTheirFirstEventAsAUser() {
    assertVersions(
        List.of(
            pageView("2026-11-23T13:00:00Z", 1, 0, null, "free", "Home", "Guest"),
            pageView("2026-11-23T13:01:00Z", 1, 1, null, "free", "Register", "Guest"),
            pageView("2026-11-23T13:02:00Z", 1, 2, ANN, "free", "Home", "Logged In")),
        List.of(),
        List.of(ann("free", "2026-11-23T13:02:00Z", null)));
  }

  @Test
  void upDownAndUpWithinOneSecondAreThreeVersionsAfterTheFirst() {
    assertVersions(
        List.of(listen("2026-11-23T13:00:00Z", 1, 0, ANN, "free", "Muse", "Uprising")),
        List.of(
            statusChange("2026-11-23T13:10:00.100Z", 1, 1, ANN, "free"),
            statusChange("2026-11-23T13:10:00.500Z", 1, 2, ANN, "paid"),
            statusChange("2026-11-23T13:10:00.900Z", 1, 3, ANN, "free")),
        List.of(
            ann("free", "2026-11-23T13:00:00Z", "2026-11-23T13:10:00.100Z"),
            ann("paid", "2026-11-23T13:10:00.100Z", "2026-11-23T13:10:00.500Z"),
            ann("free", "2026-11-23T13:10:00.500Z", "2026-11-23T13:10:00.900Z"),
            ann("paid", "2026-11-23T13:10:00.900Z", null)));
  }

  @Test
  void anEventAndAnUpgradeAtOneInstantLeaveTheUpgradesLevelFromThatInstant() {
    assertVersions(
        List.of(
            listen("2026-11-23T13:00:00Z", 1, 0, ANN, "free", "Muse", "Uprising"),
            listen("2026-11-23T13:10:00Z", 1, 1, ANN, "free", "Muse", "Uprising")),
        List.of(statusChange("2026-11-23T13:10:00Z", 1, 2, ANN, "free")),
        List.of(
            ann("free", "2026-11-23T13:00:00Z", "2026-11-23T13:10:00Z"),
            ann("paid", "2026-11-23T13:10:00Z", null)));
  }

  @Test
  void outOfOrderEventsGiveTheVersionsOfTheirTimes() {
    List<StagedEvent> events =
        new ArrayList<>(
            List.of(
                listen("2026-11-23T13:00:00Z", 1, 0, ANN, "free", "Muse", "Uprising"),
                listen("2026-11-23T14:30:00Z", 3, 0, ANN, "paid", "Muse", "Uprising"),
                listen("2026-11-23T13:20:00Z", 1, 4, ANN, "free", "Muse", "Uprising"),
                listen("2026-11-23T15:00:00Z", 4, 0, ANN, "free", "Muse", "Uprising")));
    Collections.reverse(events);
    assertVersions(
        events,
        List.of(),
        List.of(
            ann("free", "2026-11-23T13:00:00Z", "2026-11-23T14:30:00Z"),
            ann("paid", "2026-11-23T14:30:00Z", "2026-11-23T15:00:00Z"),
            ann("free", "2026-11-23T15:00:00Z", null)));
  }

  @Test
  void aUserWhoseFirstEventIsAStatusChangeStartsAtTheLevelItLeadsTo() {
    assertVersions(
        List.of(listen("2026-11-23T13:30:00Z", 1, 1, ANN, "paid", "Muse", "Uprising")),
        List.of(statusChange("2026-11-23T13:00:00Z", 1, 0, ANN, "free")),
        List.of(ann("paid", "2026-11-23T13:00:00Z", null)));
  }

  @Test
  void theVersionsAreAFunctionOfTheObservationsNotTheirOrder() {
    List<UserLevel> observations =
        List.of(
            Observations.UserLevels.of(
                listen("2026-11-23T13:00:00Z", 1, 0, ANN, "free", "Muse", "Uprising"), false),
            Observations.UserLevels.of(
                statusChange("2026-11-23T13:05:00Z", 1, 1, ANN, "free"), true),
            Observations.UserLevels.of(
                listen("2026-11-23T13:05:00Z", 1, 2, ANN, "free", "Muse", "Uprising"), false));
    List<UserLevel> reversed = new ArrayList<>(observations);
    Collections.reverse(reversed);
    assertThat(DimUsers.versions(ANN, reversed), equalTo(DimUsers.versions(ANN, observations)));
    assertThat(
        DimUsers.versions(ANN, observations),
        equalTo(
            List.of(
                ann("free", "2026-11-23T13:00:00Z", "2026-11-23T13:05:00Z"),
                ann("paid", "2026-11-23T13:05:00Z", null))));
  }
}
