package io.streamify.hourly.staging;

import static io.streamify.hourly.staging.StagedEvents.ts;

import io.streamify.events.LakeTable;
import io.streamify.lake.TableHour;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/**
 * Staging one table's lake rows: every row ends in exactly one of the raw rows, the rejects and the
 * duplicates count, and which copy is kept never depends on the order rows come in.
 */
class CleanAndDeduplicateTest {
  static final String AT = "2026-11-23T13:05:00Z";

  /** A login of user 42 in session 7, item {@code item}, read at partition 0, {@code offset}. */
  static GenericRecord login(int item, boolean success, long userId, Long offset) {
    GenericData.Record r = new GenericData.Record(LakeTable.AUTH_EVENTS.schema());
    r.put("ts", ts(AT));
    r.put("sessionId", 7L);
    r.put("itemInSession", item);
    r.put("level", "free");
    r.put("city", " Tampa ");
    r.put("zip", "33601");
    r.put("state", "fl");
    r.put("userAgent", "\"Mozilla/5.0\"");
    r.put("lon", -82.46);
    r.put("lat", 27.95);
    r.put("userId", userId);
    r.put("success", success);
    r.put(LakeTable.KAFKA_PARTITION, offset == null ? null : 0);
    r.put(LakeTable.KAFKA_OFFSET, offset);
    return r;
  }

  static PCollectionTuple stage(Pipeline p, List<GenericRecord> rows) {
    return p.apply(Create.of(rows).withCoder(AvroCoder.of(LakeTable.AUTH_EVENTS.schema())))
        .apply(new CleanAndDeduplicate(LakeTable.AUTH_EVENTS));
  }

  /** A raw row as "item success offset city state userAgent". */
  static String describe(GenericRecord r) {
    return r.get("itemInSession")
        + " "
        + r.get("success")
        + " "
        + r.get(LakeTable.KAFKA_OFFSET)
        + " "
        + r.get("city")
        + " "
        + r.get("state")
        + " "
        + r.get("userAgent");
  }

  @Test
  void copiesOfOneEventAreOneRawRowTheFirstInKafkaAndTheRestCountedAsDuplicates() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollectionTuple out =
        stage(p, List.of(login(0, true, 42, 9L), login(0, true, 42, 5L), login(0, true, 42, 7L)));
    PAssert.that(
            out.get(CleanAndDeduplicate.RAW)
                .apply(MapElements.into(TypeDescriptors.strings()).via(r -> describe(r))))
        .containsInAnyOrder("0 true 5 Tampa FL Mozilla/5.0");
    PAssert.that(out.get(CleanAndDeduplicate.DUPLICATES))
        .containsInAnyOrder(
            KV.of(TableHour.of("auth_events", ts(AT)), 1L),
            KV.of(TableHour.of("auth_events", ts(AT)), 1L));
    PAssert.that(out.get(CleanAndDeduplicate.REJECTS)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void aDifferentEventUnderATakenIdentityIsAConflictingDuplicateWhateverTheOrder() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollectionTuple out = stage(p, List.of(login(0, true, 42, 9L), login(0, false, 42, 5L)));
    PAssert.that(
            out.get(CleanAndDeduplicate.RAW)
                .apply(MapElements.into(TypeDescriptors.strings()).via(r -> describe(r))))
        .containsInAnyOrder("0 false 5 Tampa FL Mozilla/5.0");
    PAssert.that(
            out.get(CleanAndDeduplicate.REJECTS)
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(r -> r.rule() + " " + r.kafkaOffset() + " " + r.detail())))
        .containsInAnyOrder(
            "conflicting_duplicate 9 another event with the same sessionId 7 and itemInSession 0"
                + " was kept (the first in Kafka)");
    PAssert.that(out.get(CleanAndDeduplicate.DUPLICATES)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void aRowThatBreaksARuleIsARejectUnderTheRulesCodeAndTheNextContentIsKept() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollectionTuple out =
        stage(p, List.of(login(1, true, 0, 3L), login(2, true, 0, 4L), login(2, false, 42, 6L)));
    PAssert.that(
            out.get(CleanAndDeduplicate.RAW)
                .apply(MapElements.into(TypeDescriptors.strings()).via(r -> describe(r))))
        .containsInAnyOrder("2 false 6 Tampa FL Mozilla/5.0");
    PAssert.that(
            out.get(CleanAndDeduplicate.REJECTS)
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            r ->
                                r.rule()
                                    + " "
                                    + r.sourceTable()
                                    + " "
                                    + r.sessionId()
                                    + "/"
                                    + r.itemInSession()
                                    + " "
                                    + r.kafkaOffset())))
        .containsInAnyOrder(
            "user_id_positive auth_events 7/1 3", "user_id_positive auth_events 7/2 4");
    p.run().waitUntilFinish();
  }

  @Test
  void theCopyKafkaHadFirstStandsForItsContentNotACopyWithoutKafkaCoordinates() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    // event A twice (an older file without coordinates, and offset 5); event B at offset 10
    PCollectionTuple out =
        stage(
            p, List.of(login(0, true, 42, null), login(0, true, 42, 5L), login(0, false, 42, 10L)));
    PAssert.that(
            out.get(CleanAndDeduplicate.RAW)
                .apply(MapElements.into(TypeDescriptors.strings()).via(r -> describe(r))))
        .containsInAnyOrder("0 true 5 Tampa FL Mozilla/5.0");
    PAssert.that(
            out.get(CleanAndDeduplicate.REJECTS)
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(r -> r.rule() + " " + r.kafkaOffset())))
        .containsInAnyOrder("conflicting_duplicate 10");
    PAssert.that(out.get(CleanAndDeduplicate.DUPLICATES))
        .containsInAnyOrder(KV.of(TableHour.of("auth_events", ts(AT)), 1L));
    p.run().waitUntilFinish();
  }
}
