package io.streamify.hourly.facts;

import io.streamify.events.LakeTable;
import io.streamify.hourly.staging.StagedEvent;
import io.streamify.rows.AsAvro;
import io.streamify.rows.RowType;
import io.streamify.warehouse.WarehouseTable;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The fact tables, one per event table, each a model of its own ({@link FactStreams}, {@link
 * FactPageViews}, {@link FactLogins}, {@link FactSubscriptionChanges}); grain: one row per kept raw
 * event.
 */
public final class Facts {
  private Facts() {}

  /** The fact table an event table feeds. */
  public static WarehouseTable factOf(LakeTable table) {
    return switch (table) {
      case LISTEN_EVENTS -> WarehouseTable.FACT_STREAMS;
      case PAGE_VIEW_EVENTS -> WarehouseTable.FACT_PAGE_VIEWS;
      case AUTH_EVENTS -> WarehouseTable.FACT_LOGINS;
      case STATUS_CHANGE_EVENTS -> WarehouseTable.FACT_SUBSCRIPTION_CHANGES;
      case DEADLETTER -> throw new IllegalArgumentException("dead letters have no facts");
    };
  }

  /**
   * The fact model of an event table, with its rows as the warehouse's Avro records: staged events
   * → fact rows.
   */
  public static PTransform<PCollection<StagedEvent>, PCollection<GenericRecord>> asAvro(
      LakeTable table) {
    return switch (table) {
      case LISTEN_EVENTS -> asAvro(new FactStreams(), WarehouseTable.FACT_STREAMS);
      case PAGE_VIEW_EVENTS -> asAvro(new FactPageViews(), WarehouseTable.FACT_PAGE_VIEWS);
      case AUTH_EVENTS -> asAvro(new FactLogins(), WarehouseTable.FACT_LOGINS);
      case STATUS_CHANGE_EVENTS ->
          asAvro(new FactSubscriptionChanges(), WarehouseTable.FACT_SUBSCRIPTION_CHANGES);
      case DEADLETTER -> throw new IllegalArgumentException("dead letters have no facts");
    };
  }

  private static <F extends Record>
      PTransform<PCollection<StagedEvent>, PCollection<GenericRecord>> asAvro(
          PTransform<PCollection<StagedEvent>, PCollection<F>> model, WarehouseTable table) {
    return new PTransform<>() {
      @Override
      public PCollection<GenericRecord> expand(PCollection<StagedEvent> events) {
        @SuppressWarnings("unchecked")
        RowType<F> type = (RowType<F>) table.rowType();
        return events.apply(table.tableName(), model).apply("As rows", AsAvro.of(type));
      }
    };
  }

  /** One fact row per event. */
  static <F extends Record> PCollection<F> map(
      PCollection<StagedEvent> events, RowType<F> type, SerializableFunction<StagedEvent, F> row) {
    return events
        .apply("FactRow", MapElements.into(TypeDescriptor.of(type.type())).via(row))
        .setCoder(type.coder());
  }
}
