package io.streamify.hourly.staging;

import static io.streamify.hourly.staging.StagedEvents.ts;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.streamify.events.LakeTable;
import org.apache.avro.generic.GenericData;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

/** A raw row of each event table → the staged event: eventsim's names read once, here. */
class StagedEventTest {
  static GenericData.Record raw(LakeTable t) {
    GenericData.Record r = new GenericData.Record(t.schema());
    r.put("ts", ts("2026-11-23T13:05:00Z"));
    r.put("sessionId", 7L);
    r.put("itemInSession", 3);
    r.put("level", new Utf8("free"));
    r.put("city", "Tampa");
    r.put("zip", "33601");
    r.put("state", " fl ");
    r.put("userAgent", "Mozilla/5.0");
    r.put("lat", 27.95);
    r.put("lon", -82.46);
    return r;
  }

  @Test
  void aListenKeepsItsSongAndUser() {
    GenericData.Record r = raw(LakeTable.LISTEN_EVENTS);
    r.put("artist", "Muse");
    r.put("song", "Uprising");
    r.put("duration", 215.5);
    r.put("auth", "Logged In");
    r.put("userId", 42L);
    r.put("firstName", "Ann");
    r.put("lastName", "Lee");
    r.put("gender", "F");
    r.put("registration", 5L);
    assertThat(
        StagedEvent.of(r),
        equalTo(
            new StagedEvent(
                ts("2026-11-23T13:05:00Z"),
                7,
                3,
                42L,
                "free",
                "Ann",
                "Lee",
                "F",
                5L,
                "Tampa",
                "FL",
                "33601",
                27.95,
                -82.46,
                "Mozilla/5.0",
                "Logged In",
                "Muse",
                "Uprising",
                215.5,
                null,
                null,
                null,
                null)));
  }

  @Test
  void aGuestsPageViewHasNoUserAndTheFieldsOfAPageView() {
    GenericData.Record r = raw(LakeTable.PAGE_VIEW_EVENTS);
    r.put("page", "Home");
    r.put("auth", "Guest");
    r.put("method", "GET");
    r.put("status", 200);
    StagedEvent e = StagedEvent.of(r);
    assertThat(e.userId(), equalTo(null));
    assertThat(e.userIdOrUnknown(), equalTo(0L));
    assertThat(e.page() + " " + e.method() + " " + e.status(), equalTo("Home GET 200"));
    assertThat(e.artist(), equalTo(null));
    assertThat(e.success(), equalTo(null));
  }

  @Test
  void aLoginHasItsSuccessAndNoAuth() {
    GenericData.Record r = raw(LakeTable.AUTH_EVENTS);
    r.put("success", false);
    StagedEvent e = StagedEvent.of(r);
    assertThat(e.success(), equalTo(false));
    assertThat(e.auth(), equalTo(null));
    assertThat(e.datetimeKey(), equalTo(2026112313L));
  }
}
