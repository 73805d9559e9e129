package io.streamify.warehouse.rows;

import io.streamify.rows.Column.Doc;
import io.streamify.rows.Column.Nullable;
import io.streamify.rows.RowType;
import io.streamify.warehouse.rows.Declare.Key;
import io.streamify.warehouse.rows.Declare.References;

/** A row of dim_songs: a song of the catalog, or one heard that the catalog lacks. */
public record DimSong(
    @Doc("A hash of the artist and title, compared loosely; 0 the unknown song") @Key long songKey,
    @Doc("The title") String title,
    @Doc("The artist's key in dim_artists") @References(DimArtist.class) long artistKey,
    @Doc("The artist's name") String artistName,
    @Doc("Length in seconds") @Nullable Double duration,
    @Doc("Year of release (catalog songs)") @Nullable Integer year,
    @Doc("The Million Song Dataset's song id (catalog songs)") @Nullable String songId,
    @Doc("Whether the catalog lists the song") boolean inCatalog) {
  /** The row type: the table's schema and coder. */
  public static final RowType<DimSong> TYPE = RowType.of(DimSong.class, Namespace.WAREHOUSE);
}
