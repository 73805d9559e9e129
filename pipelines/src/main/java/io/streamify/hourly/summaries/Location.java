package io.streamify.hourly.summaries;

import io.streamify.rows.Column.Doc;
import io.streamify.rows.Column.Nullable;
import io.streamify.rows.RowType;

/** A place users were seen in: a summary row of {@link Summary#LOCATIONS}. */
public record Location(
    @Doc("The place's key (Keys.location)") long locationKey,
    @Doc("The city, as events give it") String city,
    @Doc("The normalised state code") String state,
    @Doc("The ZIP code") String zip,
    @Doc("Latitude, degrees") @Nullable Double latitude,
    @Doc("Longitude, degrees") @Nullable Double longitude) {
  public static final RowType<Location> TYPE = RowType.of(Location.class, Summary.NAMESPACE);
}
