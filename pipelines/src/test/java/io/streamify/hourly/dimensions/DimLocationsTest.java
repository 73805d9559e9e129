package io.streamify.hourly.dimensions;

import io.streamify.hourly.summaries.Location;
import io.streamify.warehouse.Keys;
import io.streamify.warehouse.rows.DimLocation;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;

/** dim_location from the places seen: exact rows. */
class DimLocationsTest {
  @Test
  void onePlaceOneRowWithItsStatesNameTheLeastOfItsSpellings() {
    long tampa = Keys.location("Tampa", "FL", "33601");
    long nowhere = Keys.location("Nowhere", "ZZ", "");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PAssert.that(
            p.apply(
                    Create.of(
                            new Location(tampa, "TAMPA", "FL", "33601", 27.9, -82.4),
                            new Location(tampa, "Tampa", "FL", "33601", null, null),
                            new Location(nowhere, "Nowhere", "ZZ", "", 1.0, 2.0))
                        .withCoder(Location.TYPE.coder()))
                .apply(new DimLocations()))
        .containsInAnyOrder(
            // "TAMPA" < "Tampa" in UTF-8 bytes
            new DimLocation(tampa, "TAMPA", "FL", "Florida", "33601", 27.9, -82.4),
            new DimLocation(nowhere, "Nowhere", "ZZ", "Unknown", "", 1.0, 2.0),
            DimLocations.UNKNOWN);
    p.run().waitUntilFinish();
  }

  @Test
  void noPlacesLeaveTheUnknownPlace() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PAssert.that(p.apply(Create.empty(Location.TYPE.coder())).apply(new DimLocations()))
        .containsInAnyOrder(List.of(new DimLocation(0, "Unknown", "", "Unknown", "", null, null)));
    p.run().waitUntilFinish();
  }
}
