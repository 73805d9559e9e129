package io.streamify.warehouse;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * A song of the catalog as the lake holds it ({@code catalog/songs/*.parquet}, written by {@code
 * streamify load-catalog} from a Million Song Dataset CSV or the generator's {@code
 * --write-catalog} output). Duplicates are allowed; dim_songs keeps one row per song.
 */
public final class CatalogSong {
  public static final Schema SCHEMA =
      SchemaBuilder.record("CatalogSong")
          .namespace("io.streamify.warehouse.avro")
          .fields()
          .name("song_id")
          .type()
          .nullable()
          .stringType()
          .noDefault()
          .name("track_id")
          .type()
          .nullable()
          .stringType()
          .noDefault()
          .name("artist_id")
          .type()
          .nullable()
          .stringType()
          .noDefault()
          .name("artist_name")
          .type()
          .stringType()
          .noDefault()
          .name("title")
          .type()
          .stringType()
          .noDefault()
          .name("duration")
          .type()
          .nullable()
          .doubleType()
          .noDefault()
          .name("year")
          .type()
          .nullable()
          .intType()
          .noDefault()
          .endRecord();

  private CatalogSong() {}
}
