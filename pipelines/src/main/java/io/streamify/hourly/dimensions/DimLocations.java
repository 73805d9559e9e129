package io.streamify.hourly.dimensions;

import io.streamify.hourly.summaries.Location;
import io.streamify.warehouse.Keys;
import io.streamify.warehouse.UsStates;
import io.streamify.warehouse.rows.DimLocation;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * dim_location: the places of every processed hour ({@link
 * io.streamify.hourly.summaries.Summary#LOCATIONS}) → one row per place (of several rows of one
 * key, the least in Avro's order), with its state's name, plus the unknown place (key 0).
 */
public final class DimLocations
    extends PTransform<PCollection<Location>, PCollection<DimLocation>> {
  /** The unknown place, key 0. */
  public static final DimLocation UNKNOWN =
      new DimLocation(Keys.UNKNOWN, UsStates.UNKNOWN, "", UsStates.UNKNOWN, "", null, null);

  @Override
  public PCollection<DimLocation> expand(PCollection<Location> seen) {
    PCollection<DimLocation> rows =
        seen.apply(
                "OnePerPlace",
                Members.onePerKey(Location.TYPE, Location::locationKey, Location.TYPE.avroOrder()))
            .apply(
                "Row",
                MapElements.into(TypeDescriptor.of(DimLocation.class)).via(DimLocations::row))
            .setCoder(DimLocation.TYPE.coder());
    return Members.withUnknown(rows, DimLocation.TYPE, UNKNOWN);
  }

  /** A place's row: its state code and the state's name ({@link UsStates#name}). */
  public static DimLocation row(Location l) {
    return new DimLocation(
        l.locationKey(),
        l.city(),
        l.state(),
        UsStates.name(l.state()),
        l.zip(),
        l.latitude(),
        l.longitude());
  }
}
