package io.streamify.warehouse.rows;

import io.streamify.rows.Column.Doc;
import io.streamify.rows.Column.Nullable;
import io.streamify.rows.RowType;
import io.streamify.warehouse.rows.Declare.Key;

/** A row of dim_artists: an artist of the catalog, or one heard that the catalog lacks. */
public record DimArtist(
    @Doc("A hash of the name, compared loosely; 0 the unknown artist") @Key long artistKey,
    @Doc("The name") String name,
    @Doc("The Million Song Dataset's artist id (catalog artists)") @Nullable String artistId,
    @Doc("Whether the catalog lists the artist") boolean inCatalog) {
  /** The row type: the table's schema and coder. */
  public static final RowType<DimArtist> TYPE = RowType.of(DimArtist.class, Namespace.WAREHOUSE);
}
