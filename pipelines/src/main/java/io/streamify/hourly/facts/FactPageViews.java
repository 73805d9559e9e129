package io.streamify.hourly.facts;

import io.streamify.hourly.staging.StagedEvent;
import io.streamify.warehouse.rows.FactPageView;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/** fact_page_views: staged page_view_events → one row per page view (user 0 for guests). */
public final class FactPageViews
    extends PTransform<PCollection<StagedEvent>, PCollection<FactPageView>> {
  @Override
  public PCollection<FactPageView> expand(PCollection<StagedEvent> views) {
    return Facts.map(views, FactPageView.TYPE, FactPageViews::row);
  }

  /** A page view's row. */
  public static FactPageView row(StagedEvent e) {
    return new FactPageView(
        e.ts(),
        e.datetimeKey(),
        e.sessionId(),
        e.itemInSession(),
        e.userIdOrUnknown(),
        e.level(),
        orEmpty(e.auth()),
        orEmpty(e.page()),
        orEmpty(e.method()),
        e.status(),
        e.locationKey());
  }

  static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
