package io.streamify.hourly;

import io.streamify.lake.LakeLayout;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * What an hourly run keeps of each hour in the lake ({@code curated/<summary>/<hour>/}) so that the
 * dimensions can be rebuilt from every hour processed so far without reading their events again:
 * the users' level observations, the places, the songs, and the hour's row counts. A run replaces
 * the summaries of the hours it processes and reads those of all others, so the dimensions depend
 * only on which hours were processed, never on their order.
 */
public enum Summary {
  /** Per user and hour: the first observed level and each change after it. */
  USER_LEVELS(
      SchemaBuilder.record("UserLevel")
          .namespace("io.streamify.hourly.avro")
          .fields()
          .name("user_id")
          .type()
          .longType()
          .noDefault()
          .name("ts")
          .type(timestamp())
          .noDefault()
          .name("rank")
          .doc(
              "0: an event's level; 1: the level a status change leads to, which"
                  + " follows the events of the same instant")
          .type()
          .intType()
          .noDefault()
          .name("level")
          .type()
          .stringType()
          .noDefault()
          .name("first_name")
          .type()
          .nullable()
          .stringType()
          .noDefault()
          .name("last_name")
          .type()
          .nullable()
          .stringType()
          .noDefault()
          .name("gender")
          .type()
          .nullable()
          .stringType()
          .noDefault()
          .name("registration")
          .type(Schema.createUnion(Schema.create(Schema.Type.NULL), timestamp()))
          .noDefault()
          .endRecord()),
  LOCATIONS(
      SchemaBuilder.record("Location")
          .namespace("io.streamify.hourly.avro")
          .fields()
          .name("location_key")
          .type()
          .longType()
          .noDefault()
          .name("city")
          .type()
          .stringType()
          .noDefault()
          .name("state")
          .type()
          .stringType()
          .noDefault()
          .name("zip")
          .type()
          .stringType()
          .noDefault()
          .name("latitude")
          .type()
          .nullable()
          .doubleType()
          .noDefault()
          .name("longitude")
          .type()
          .nullable()
          .doubleType()
          .noDefault()
          .endRecord()),
  SONGS(
      SchemaBuilder.record("Song")
          .namespace("io.streamify.hourly.avro")
          .fields()
          .name("song_key")
          .type()
          .longType()
          .noDefault()
          .name("artist")
          .type()
          .stringType()
          .noDefault()
          .name("title")
          .type()
          .stringType()
          .noDefault()
          .name("duration")
          .type()
          .doubleType()
          .noDefault()
          .endRecord()),
  /**
   * Per hour and event table: rows in the lake, rows kept in the raw table ({@code distinct_rows}),
   * copies removed as duplicates and rows rejected; lake = kept + duplicates + rejected. (Summaries
   * written before the last two existed read them as 0.)
   */
  HOUR_COUNTS(
      SchemaBuilder.record("HourCount")
          .namespace("io.streamify.hourly.avro")
          .fields()
          .name("hour_start")
          .type(timestamp())
          .noDefault()
          .name("table_name")
          .type()
          .stringType()
          .noDefault()
          .name("lake_rows")
          .type()
          .longType()
          .noDefault()
          .name("distinct_rows")
          .type()
          .longType()
          .noDefault()
          .name("duplicate_rows")
          .type()
          .longType()
          .longDefault(0)
          .name("rejected_rows")
          .type()
          .longType()
          .longDefault(0)
          .endRecord());

  private final transient Schema schema;

  Summary(Schema schema) {
    this.schema = schema;
  }

  public Schema schema() {
    return schema;
  }

  public String folder() {
    return LakeLayout.summaryFolder(name().toLowerCase(java.util.Locale.ROOT));
  }

  private static Schema timestamp() {
    return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
  }
}
