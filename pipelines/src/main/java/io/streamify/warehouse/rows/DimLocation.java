package io.streamify.warehouse.rows;

import io.streamify.rows.Column.Doc;
import io.streamify.rows.Column.Nullable;
import io.streamify.rows.RowType;
import io.streamify.warehouse.rows.Declare.Key;

/** A row of dim_location: a place users are in. */
public record DimLocation(
    @Doc("A hash of city, state and zip; 0 the unknown place") @Key long locationKey,
    @Doc("The city") String city,
    @Doc("The US state's two-letter code") String stateCode,
    @Doc("The state's name") String stateName,
    @Doc("The ZIP code") String zip,
    @Doc("Latitude, degrees") @Nullable Double latitude,
    @Doc("Longitude, degrees") @Nullable Double longitude) {
  /** The row type: the table's schema and coder. */
  public static final RowType<DimLocation> TYPE =
      RowType.of(DimLocation.class, Namespace.WAREHOUSE);
}
