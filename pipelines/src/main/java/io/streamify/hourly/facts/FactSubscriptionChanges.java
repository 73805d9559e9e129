package io.streamify.hourly.facts;

import io.streamify.hourly.staging.StagedEvent;
import io.streamify.warehouse.rows.FactSubscriptionChange;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * fact_subscription_changes: staged status_change_events → one row per upgrade or downgrade. The
 * event's {@code level} is the level before the change; the level after it is the other one.
 */
public final class FactSubscriptionChanges
    extends PTransform<PCollection<StagedEvent>, PCollection<FactSubscriptionChange>> {
  @Override
  public PCollection<FactSubscriptionChange> expand(PCollection<StagedEvent> changes) {
    return Facts.map(changes, FactSubscriptionChange.TYPE, FactSubscriptionChanges::row);
  }

  /** A change's row: from the event's level to the other. */
  public static FactSubscriptionChange row(StagedEvent e) {
    return new FactSubscriptionChange(
        e.ts(),
        e.datetimeKey(),
        e.sessionId(),
        e.itemInSession(),
        e.userIdOrUnknown(),
        e.level(),
        e.otherLevel(),
        e.locationKey());
  }
}
