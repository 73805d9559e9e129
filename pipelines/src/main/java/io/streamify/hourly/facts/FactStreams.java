package io.streamify.hourly.facts;

import io.streamify.hourly.staging.StagedEvent;
import io.streamify.warehouse.rows.FactStream;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/** fact_streams: staged listen_events → one row per listen. */
public final class FactStreams
    extends PTransform<PCollection<StagedEvent>, PCollection<FactStream>> {
  @Override
  public PCollection<FactStream> expand(PCollection<StagedEvent> listens) {
    return Facts.map(listens, FactStream.TYPE, FactStreams::row);
  }

  /** A listen's row: its song and artist keyed by name (0 when unnamed), its place, its hour. */
  public static FactStream row(StagedEvent e) {
    return new FactStream(
        e.ts(),
        e.datetimeKey(),
        e.sessionId(),
        e.itemInSession(),
        e.userIdOrUnknown(),
        e.level(),
        e.songKey(),
        e.artistKey(),
        e.locationKey(),
        e.duration(),
        e.userAgent());
  }
}
