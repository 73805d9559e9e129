package io.streamify.hourly.checks;

import io.streamify.hourly.HandMadeLake;
import io.streamify.hourly.dimensions.DimUsers;
import io.streamify.hourly.summaries.HourCount;
import io.streamify.warehouse.WarehouseTable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** The checks pass on consistent tables and name the table, check and keys of broken ones. */
class DataQualityTest {
  static final long TS = HandMadeLake.ts("2026-11-23T13:30:00Z");

  /** A row with the given fields and every other field at a plain value of its type. */
  static GenericRecord row(Schema schema, Object... fields) {
    GenericRecord r = new GenericData.Record(schema);
    for (Schema.Field f : schema.getFields()) {
      Schema s =
          f.schema().isUnion()
              ? f.schema().getTypes().stream()
                  .filter(x -> x.getType() != Schema.Type.NULL)
                  .findFirst()
                  .orElseThrow()
              : f.schema();
      r.put(
          f.pos(),
          switch (s.getType()) {
            case LONG -> 0L;
            case INT -> 0;
            case DOUBLE -> 0.0;
            case BOOLEAN -> false;
            // a level column holds a level (the accepted values rule)
            default -> f.name().endsWith("level") ? "free" : "x";
          });
    }
    for (int i = 0; i < fields.length; i += 2) {
      r.put((String) fields[i], fields[i + 1]);
    }
    return r;
  }

  static Map<WarehouseTable, PCollection<GenericRecord>> tables(
      Pipeline p, Map<WarehouseTable, List<GenericRecord>> rows) {
    Map<WarehouseTable, PCollection<GenericRecord>> tables = new EnumMap<>(WarehouseTable.class);
    for (WarehouseTable t : WarehouseTable.values()) {
      tables.put(
          t,
          p.apply(
              "Rows " + t,
              Create.of(rows.getOrDefault(t, List.of())).withCoder(AvroCoder.of(t.schema()))));
    }
    return tables;
  }

  static Map<WarehouseTable, List<GenericRecord>> consistent() {
    Map<WarehouseTable, List<GenericRecord>> rows = new EnumMap<>(WarehouseTable.class);
    rows.put(
        WarehouseTable.DIM_LOCATION,
        List.of(
            row(WarehouseTable.DIM_LOCATION.schema(), "location_key", 5L),
            row(WarehouseTable.DIM_LOCATION.schema(), "location_key", 0L)));
    rows.put(
        WarehouseTable.DIM_SONGS,
        List.of(row(WarehouseTable.DIM_SONGS.schema(), "song_key", 1L, "artist_key", 2L)));
    rows.put(
        WarehouseTable.DIM_ARTISTS,
        List.of(row(WarehouseTable.DIM_ARTISTS.schema(), "artist_key", 2L)));
    rows.put(
        WarehouseTable.DIM_DATETIME,
        List.of(row(WarehouseTable.DIM_DATETIME.schema(), "datetime_key", 2026112313L)));
    rows.put(
        WarehouseTable.DIM_USERS,
        List.of(
            row(
                WarehouseTable.DIM_USERS.schema(),
                "user_key",
                7L,
                "user_id",
                10L,
                "row_activation",
                0L,
                "row_expiration",
                DimUsers.END_OF_TIME)));
    rows.put(WarehouseTable.FACT_STREAMS, List.of(stream(1L)));
    rows.put(
        WarehouseTable.LISTEN_EVENTS,
        List.of(
            row(
                WarehouseTable.LISTEN_EVENTS.schema(),
                "ts",
                TS,
                "sessionId",
                1L,
                "itemInSession",
                0)));
    return rows;
  }

  static GenericRecord stream(long songKey) {
    return row(
        WarehouseTable.FACT_STREAMS.schema(),
        "ts",
        TS,
        "datetime_key",
        2026112313L,
        "session_id",
        1L,
        "item_in_session",
        0,
        "user_id",
        10L,
        "song_key",
        songKey,
        "artist_key",
        2L,
        "location_key",
        5L);
  }

  static PCollection<HourCount> counts(Pipeline p) {
    return p.apply(
        "Counts",
        Create.of(
                new HourCount(
                    HandMadeLake.ts("2026-11-23T13:00:00Z"), "listen_events", 2L, 1L, 1L, 0L))
            .withCoder(HourCount.TYPE.coder()));
  }

  @Test
  void consistentTablesPass() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<String> failures =
        DataQuality.allFailures(
            PBegin.in(p).apply(new DataQuality(tables(p, consistent()), counts(p), 0.05)));
    PAssert.that(failures).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void aDanglingFactKeyADuplicateDimensionKeyAndMissingRowsAreNamed() {
    Map<WarehouseTable, List<GenericRecord>> rows = consistent();
    rows.put(WarehouseTable.FACT_STREAMS, List.of(stream(999L)));
    rows.put(
        WarehouseTable.DIM_LOCATION,
        List.of(
            row(WarehouseTable.DIM_LOCATION.schema(), "location_key", 5L, "city", "Tampa"),
            row(WarehouseTable.DIM_LOCATION.schema(), "location_key", 5L, "city", "Miami"),
            row(WarehouseTable.DIM_LOCATION.schema(), "location_key", 0L)));
    rows.remove(WarehouseTable.LISTEN_EVENTS);
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<String> failures =
        DataQuality.allFailures(
            PBegin.in(p).apply(new DataQuality(tables(p, rows), counts(p), 0.05)));
    PAssert.that(failures)
        .containsInAnyOrder(
            "dim_location: location_key is not unique: 1 failing, e.g. 5 (2 rows)",
            "fact_streams: song_key without a row in dim_songs: 1 failing, e.g. 999 (session 1"
                + " item 0)",
            "hour counts: lake rows - duplicates = raw + rejected rows and facts = raw rows do not"
                + " hold: 1 failing, e.g. 2026112313 listen_events {duplicates=1, facts=1, lake=2,"
                + " raw=0, rejected=0}");
    p.run().waitUntilFinish();
  }

  @Test
  void aLevelOutsideTheAcceptedValuesAndAFactWithoutItsUserVersionAreNamed() {
    Map<WarehouseTable, List<GenericRecord>> rows = consistent();
    GenericRecord odd = stream(1L);
    odd.put("level", "gold");
    odd.put("user_id", 11L);
    rows.put(WarehouseTable.FACT_STREAMS, List.of(odd));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<String> failures =
        DataQuality.allFailures(
            PBegin.in(p).apply(new DataQuality(tables(p, rows), counts(p), 0.05)));
    PAssert.that(failures)
        .containsInAnyOrder(
            "fact_streams: level not in (free, paid): 1 failing, e.g. 'gold' (session 1 item 0)",
            "fact_streams: user_id without exactly one dim_users version in force: 1 failing,"
                + " e.g. user_id 11 at 2026-11-23T13:30:00Z (session 1 item 0): 0 versions");
    p.run().waitUntilFinish();
  }

  @Test
  void overlappingVersionsOfAUserAreNamedThoughNoFactFallsInTheOverlap() {
    Map<WarehouseTable, List<GenericRecord>> rows = consistent();
    rows.put(
        WarehouseTable.DIM_USERS,
        List.of(
            row(
                WarehouseTable.DIM_USERS.schema(),
                "user_key",
                7L,
                "user_id",
                10L,
                "row_activation",
                0L,
                "row_expiration",
                DimUsers.END_OF_TIME),
            row(
                WarehouseTable.DIM_USERS.schema(),
                "user_key",
                8L,
                "user_id",
                10L,
                "row_activation",
                HandMadeLake.ts("2030-01-01T00:00:00Z"),
                "row_expiration",
                DimUsers.END_OF_TIME)));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PAssert.that(
            DataQuality.allFailures(
                PBegin.in(p).apply(new DataQuality(tables(p, rows), counts(p), 0.05))))
        .containsInAnyOrder(
            "dim_users: versions of a user_id overlap or end before they start (row_activation,"
                + " row_expiration): 1 failing, e.g. 10 ([2030-01-01T00:00:00Z,"
                + " 9999-12-31T00:00:00Z) overlaps the one before)");
    p.run().waitUntilFinish();
  }
}
