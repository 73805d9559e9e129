package io.streamify.hourly.summaries;

import io.streamify.events.LakeTable;
import io.streamify.lake.TableHour;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The run's {@link HourCount} rows, keyed by hour start (epoch ms): one per processed hour and
 * event table, an hour without rows included (all zero). Inputs, each rows per {@link TableHour}:
 * {@link #LAKE} rows read, {@link #KEPT} rows of the raw table, {@link #DUPLICATES} copies removed,
 * {@link #REJECTED} rows rejected. Counts of hours outside those processed are dropped: they cannot
 * be in a processed hour's partition.
 */
public final class HourCounts
    extends PTransform<PCollectionTuple, PCollection<KV<Long, HourCount>>> {
  public static final TupleTag<KV<TableHour, Long>> LAKE = new TupleTag<>() {};
  public static final TupleTag<KV<TableHour, Long>> KEPT = new TupleTag<>() {};
  public static final TupleTag<KV<TableHour, Long>> DUPLICATES = new TupleTag<>() {};
  public static final TupleTag<KV<TableHour, Long>> REJECTED = new TupleTag<>() {};

  private final List<Long> hours;

  /**
   * @param hours the processed hours, epoch ms
   */
  public HourCounts(List<Long> hours) {
    this.hours = List.copyOf(hours);
  }

  @Override
  public PCollection<KV<Long, HourCount>> expand(PCollectionTuple in) {
    List<KV<TableHour, Long>> slots = new ArrayList<>();
    for (long h : hours) {
      for (LakeTable t : LakeTable.values()) {
        if (t.isEvent()) {
          slots.add(KV.of(new TableHour(t.tableName(), h), h));
        }
      }
    }
    TupleTag<Long> slot = new TupleTag<>();
    TupleTag<Long> lake = new TupleTag<>();
    TupleTag<Long> kept = new TupleTag<>();
    TupleTag<Long> duplicates = new TupleTag<>();
    TupleTag<Long> rejected = new TupleTag<>();
    return KeyedPCollectionTuple.of(
            slot,
            in.getPipeline()
                .apply(
                    "Hour slots",
                    Create.of(slots)
                        .withCoder(KvCoder.of(TableHour.TYPE.coder(), VarLongCoder.of()))))
        .and(lake, in.get(LAKE))
        .and(kept, in.get(KEPT))
        .and(duplicates, in.get(DUPLICATES))
        .and(rejected, in.get(REJECTED))
        .apply("Counts per slot", CoGroupByKey.create())
        .apply(
            "Hour count rows",
            ParDo.of(new RowFn(new Tags(slot, lake, kept, duplicates, rejected))))
        .setCoder(KvCoder.of(VarLongCoder.of(), HourCount.TYPE.coder()));
  }

  record Tags(
      TupleTag<Long> slot,
      TupleTag<Long> lake,
      TupleTag<Long> kept,
      TupleTag<Long> duplicates,
      TupleTag<Long> rejected)
      implements Serializable {}

  static final class RowFn extends DoFn<KV<TableHour, CoGbkResult>, KV<Long, HourCount>> {
    private final Tags tags;

    RowFn(Tags tags) {
      this.tags = tags;
    }

    @ProcessElement
    public void process(
        @Element KV<TableHour, CoGbkResult> e, OutputReceiver<KV<Long, HourCount>> out) {
      CoGbkResult c = e.getValue();
      if (c.getOnly(tags.slot(), null) == null) {
        return; // not a processed hour
      }
      TableHour at = e.getKey();
      out.output(
          KV.of(
              at.hourStart(),
              new HourCount(
                  at.hourStart(),
                  at.table(),
                  c.getOnly(tags.lake(), 0L),
                  c.getOnly(tags.kept(), 0L),
                  c.getOnly(tags.duplicates(), 0L),
                  c.getOnly(tags.rejected(), 0L))));
    }
  }
}
