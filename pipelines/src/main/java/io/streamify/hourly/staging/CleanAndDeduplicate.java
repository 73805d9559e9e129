package io.streamify.hourly.staging;

import io.streamify.events.EventParser;
import io.streamify.events.EventRule;
import io.streamify.events.LakeTable;
import io.streamify.hourly.grouping.Grouping;
import io.streamify.lake.Hours;
import io.streamify.lake.TableHour;
import io.streamify.rows.RowType;
import io.streamify.warehouse.UsStates;
import io.streamify.warehouse.rows.Reject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Stages one table's lake rows: cleaned (text trimmed, eventsim's quoted user agents and mojibake
 * repaired, state codes normalised), then one row per event, identified by (sessionId,
 * itemInSession). Of the rows of one event:
 *
 * <ul>
 *   <li>copies with the same content (the ledger fields aside: a re-read record, a producer's
 *       retry) are <em>duplicates</em>: one is kept, the others are counted per hour in {@link
 *       #DUPLICATES};
 *   <li>a content that breaks an {@link EventRule} goes to {@link #REJECTS} under the rule's code;
 *   <li>of the contents that pass, the first Kafka got (least partition and offset; the least in
 *       Avro's order for rows without them) goes to {@link #RAW}, any other is a different event
 *       under the same identity and goes to {@link #REJECTS} as {@code conflicting_duplicate} (it
 *       used to be merged away silently; a later impostor never displaces the first).
 * </ul>
 *
 * Input: one event table's lake rows (its Avro schema). Outputs: {@link #RAW} the kept rows, same
 * schema, cleaned; {@link #REJECTS} typed rejects rows; {@link #DUPLICATES} (the row's hour of the
 * table, 1) per copy removed.
 *
 * <p>No choice depends on the order files were read. So every lake row is in exactly one of: the
 * raw table, the rejects table, the duplicates count.
 */
public final class CleanAndDeduplicate
    extends PTransform<PCollection<GenericRecord>, PCollectionTuple> {
  public static final TupleTag<GenericRecord> RAW = new TupleTag<>() {};
  public static final TupleTag<Reject> REJECTS = new TupleTag<>() {};
  public static final TupleTag<KV<TableHour, Long>> DUPLICATES = new TupleTag<>() {};

  /** The rule of a second, different event under one identity. */
  public static final String CONFLICTING_DUPLICATE = "conflicting_duplicate";

  private final LakeTable table;

  public CleanAndDeduplicate(LakeTable table) {
    this.table = table;
  }

  @Override
  public PCollectionTuple expand(PCollection<GenericRecord> rows) {
    AvroCoder<GenericRecord> coder = AvroCoder.of(table.schema());
    PCollectionTuple out =
        rows.apply("Clean", ParDo.of(new CleanFn()))
            .setCoder(KvCoder.of(EventId.TYPE.coder(), coder))
            .apply("PerEvent", Grouping.byKey())
            .apply(
                "KeepOnePerEvent",
                ParDo.of(new KeepOneFn(table))
                    .withOutputTags(RAW, TupleTagList.of(REJECTS).and(DUPLICATES)));
    out.get(RAW).setCoder(coder);
    out.get(REJECTS).setCoder(Reject.TYPE.coder());
    out.get(DUPLICATES).setCoder(KvCoder.of(TableHour.TYPE.coder(), VarLongCoder.of()));
    return out;
  }

  /** An event's identity in eventsim: its session and its place in the session. */
  public record EventId(long sessionId, int itemInSession) {
    public static final RowType<EventId> TYPE =
        RowType.of(EventId.class, "io.streamify.hourly.avro");

    static EventId of(GenericRecord raw) {
      return new EventId((Long) raw.get("sessionId"), (Integer) raw.get("itemInSession"));
    }
  }

  /** Cleans a record in place of a copy; keys it by its event identity. */
  static final class CleanFn extends DoFn<GenericRecord, KV<EventId, GenericRecord>> {
    @ProcessElement
    public void process(@Element GenericRecord in, OutputReceiver<KV<EventId, GenericRecord>> out) {
      GenericRecord r = new GenericData.Record((GenericData.Record) in, true);
      out.output(KV.of(EventId.of(r), clean(r)));
    }
  }

  /** The cleaning, also applied by tests to their expectations. */
  public static GenericRecord clean(GenericRecord r) {
    for (Schema.Field f : r.getSchema().getFields()) {
      Object v = r.get(f.pos());
      if (v instanceof CharSequence text) {
        String s = EventParser.clean(f.name(), text.toString().strip()).strip();
        if (f.name().equals("state")) {
          s = UsStates.normalize(s);
        }
        r.put(f.pos(), s);
      }
    }
    return r;
  }

  /** The rows of one event → one raw row, rejects, and the duplicates removed. */
  static final class KeepOneFn extends DoFn<KV<EventId, Iterable<GenericRecord>>, GenericRecord> {
    private final LakeTable table;

    KeepOneFn(LakeTable table) {
      this.table = table;
    }

    @ProcessElement
    public void process(
        @Element KV<EventId, Iterable<GenericRecord>> event, MultiOutputReceiver out) {
      List<GenericRecord> rows = new ArrayList<>();
      event.getValue().forEach(rows::add);
      rows.sort(CONTENT_THEN_LEDGER);
      // one row per content (its first copy in Kafka), the copies counted as duplicates
      List<GenericRecord> contents = new ArrayList<>();
      for (GenericRecord r : rows) {
        if (!contents.isEmpty() && sameContent(contents.get(contents.size() - 1), r)) {
          out.get(DUPLICATES)
              .output(KV.of(TableHour.of(table.tableName(), (Long) r.get("ts")), 1L));
        } else {
          contents.add(r);
        }
      }
      // of different contents under one identity, the first one Kafka got is the event
      contents.sort(LEDGER_THEN_CONTENT);
      GenericRecord kept = null;
      for (GenericRecord r : contents) {
        Optional<EventRule> broken = EventRule.firstBroken(r);
        if (broken.isPresent()) {
          out.get(REJECTS)
              .output(reject(table, r, broken.get().code(), broken.get().description()));
        } else if (kept == null) {
          kept = r;
          out.get(RAW).output(r);
        } else {
          out.get(REJECTS)
              .output(
                  reject(
                      table,
                      r,
                      CONFLICTING_DUPLICATE,
                      "another event with"
                          + " the same sessionId "
                          + r.get("sessionId")
                          + " and itemInSession "
                          + r.get("itemInSession")
                          + " was kept (the first in Kafka)"));
        }
      }
    }
  }

  /** Where Kafka had a row: the least partition and offset first, rows without them last. */
  static final Comparator<GenericRecord> LEDGER =
      Comparator.comparing(
              (GenericRecord r) -> (Integer) r.get(LakeTable.KAFKA_PARTITION),
              Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(
              r -> (Long) r.get(LakeTable.KAFKA_OFFSET),
              Comparator.nullsLast(Comparator.naturalOrder()));

  /**
   * Content first (ledger fields aside), so equal contents sort together; then the ledger, so the
   * copy that stands for a content is the one Kafka had first (a copy without Kafka coordinates,
   * from an older writer, last).
   */
  static final Comparator<GenericRecord> CONTENT_THEN_LEDGER =
      ((Comparator<GenericRecord>)
              (a, b) -> GenericData.get().compare(content(a), content(b), a.getSchema()))
          .thenComparing(LEDGER);

  /**
   * Where Kafka had it first: the least partition and offset (rows without them last), then the
   * content; so a later record under a taken identity never displaces the first.
   */
  static final Comparator<GenericRecord> LEDGER_THEN_CONTENT =
      LEDGER.thenComparing(
          (a, b) -> GenericData.get().compare(content(a), content(b), a.getSchema()));

  static boolean sameContent(GenericRecord a, GenericRecord b) {
    return GenericData.get().compare(content(a), content(b), a.getSchema()) == 0;
  }

  /** A copy without the ledger fields: what the event says, not where Kafka had it. */
  static GenericRecord content(GenericRecord r) {
    GenericData.Record c = new GenericData.Record((GenericData.Record) r, false);
    c.put(LakeTable.KAFKA_PARTITION, null);
    c.put(LakeTable.KAFKA_OFFSET, null);
    return c;
  }

  /** A rejects table row for a lake row of {@code table}. */
  static Reject reject(LakeTable table, GenericRecord row, String rule, String detail) {
    long ts = (Long) row.get("ts");
    return new Reject(
        ts,
        Hours.datetimeKey(ts),
        table.tableName(),
        rule,
        detail,
        (Long) row.get("sessionId"),
        (Integer) row.get("itemInSession"),
        (Integer) row.get(LakeTable.KAFKA_PARTITION),
        (Long) row.get(LakeTable.KAFKA_OFFSET),
        GenericData.get().toString(row));
  }
}
