package io.streamify.warehouse;

import io.streamify.rows.Column.Nullable;
import io.streamify.rows.RowType;
import org.apache.avro.Schema;

/**
 * A song of the catalog as the lake holds it ({@code catalog/songs/*.parquet}, written by {@code
 * streamify load-catalog} from a Million Song Dataset CSV or the generator's {@code
 * --write-catalog} output). Duplicates are allowed; dim_songs keeps one row per song.
 */
public record CatalogSong(
    @Nullable String songId,
    @Nullable String trackId,
    @Nullable String artistId,
    String artistName,
    String title,
    @Nullable Double duration,
    @Nullable Integer year) {
  public static final RowType<CatalogSong> TYPE =
      RowType.of(CatalogSong.class, "io.streamify.warehouse.avro");

  /** The catalog files' schema. */
  public static final Schema SCHEMA = TYPE.schema();
}
