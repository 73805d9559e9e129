package io.streamify.hourly.facts;

import io.streamify.hourly.staging.StagedEvent;
import io.streamify.warehouse.rows.FactLogin;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/** fact_logins: staged auth_events → one row per login attempt, successful or not. */
public final class FactLogins extends PTransform<PCollection<StagedEvent>, PCollection<FactLogin>> {
  @Override
  public PCollection<FactLogin> expand(PCollection<StagedEvent> logins) {
    return Facts.map(logins, FactLogin.TYPE, FactLogins::row);
  }

  /** A login attempt's row. */
  public static FactLogin row(StagedEvent e) {
    return new FactLogin(
        e.ts(),
        e.datetimeKey(),
        e.sessionId(),
        e.itemInSession(),
        e.userIdOrUnknown(),
        e.level(),
        e.success(),
        e.locationKey());
  }
}
