package io.streamify.hourly.checks;

import io.streamify.hourly.grouping.Grouping;
import io.streamify.hourly.summaries.HourCount;
import io.streamify.lake.Hours;
import io.streamify.warehouse.Rule;
import io.streamify.warehouse.WarehouseTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The checks every run makes before it loads anything. A row that breaks a rule of the event
 * contract never gets here: staging put it in the rejects table, and the hour loads. What is
 * checked here are the model's invariants, which only a fault can break:
 *
 * <ul>
 *   <li>every table's declared {@link Rule rules} ({@link Rule#of}: unique grains and keys,
 *       relationships, type 2 versions in force, accepted values), by {@link RuleChecks}: a failure
 *       stops the whole load ({@link #FAILURES});
 *   <li>per hour and table, every lake row accounted for, each count taken from a different
 *       collection: lake rows − duplicates removed = raw rows + rejected rows, and fact rows = raw
 *       rows;
 *   <li>a systemic fault: more than {@code maxRejectedShare} of an hour's rows of a table rejected
 *       (and at least {@value #MIN_REJECTS_TO_FAIL} of them; fewer never fail).
 * </ul>
 *
 * The last two hold back the failing hours ({@link #HOUR_FAILURES}, {@link #HELD_HOURS}) while the
 * others load. Output: one line per failed check naming the table, the check, how many keys fail
 * and a few of them; empty when all pass.
 */
public final class DataQuality extends PTransform<PBegin, PCollectionTuple> {
  /** Failed checks of the model as a whole (declared rules): nothing may be loaded. */
  public static final TupleTag<String> FAILURES = new TupleTag<>() {};

  /** Failed checks of single hours (reconciliation, rejected share), one line per check. */
  public static final TupleTag<String> HOUR_FAILURES = new TupleTag<>() {};

  /** The hours those checks failed for: held back, while the other hours load. */
  public static final TupleTag<Long> HELD_HOURS = new TupleTag<>() {};

  /** Fewer rejected rows than this in an hour never fail a run, whatever their share. */
  static final long MIN_REJECTS_TO_FAIL = 100;

  private final Map<WarehouseTable, PCollection<GenericRecord>> tables;
  private final PCollection<HourCount> hourCounts;
  private final double maxRejectedShare;

  /**
   * @param tables the run's tables, as the warehouse's Avro records; a table missing from the map
   *     is not checked, nor are rules that need it
   * @param hourCounts this run's hour counts
   * @param maxRejectedShare the share of an hour's rows of a table that may be rejected
   */
  public DataQuality(
      Map<WarehouseTable, PCollection<GenericRecord>> tables,
      PCollection<HourCount> hourCounts,
      double maxRejectedShare) {
    this.tables = tables;
    this.hourCounts = hourCounts;
    this.maxRejectedShare = maxRejectedShare;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    List<PCollection<String>> failures = new ArrayList<>();
    for (Rule rule : Rule.all()) {
      if (RuleChecks.canCheck(rule, tables)) {
        failures.add(RuleChecks.check(rule, tables));
      }
    }
    PCollection<String> mismatches = reconcile(tables, hourCounts);
    PCollection<String> tooManyRejects = rejectedShare(hourCounts, maxRejectedShare);
    PCollection<String> hourLines =
        PCollectionList.of(
                mismatches.apply(
                    "Reconcile report",
                    RuleChecks.report(
                        "hour counts: lake rows - duplicates = raw +"
                            + " rejected rows and facts = raw rows do not hold")))
            .and(
                tooManyRejects.apply(
                    "Rejected share report",
                    RuleChecks.report(
                        "rejects: more than "
                            + maxRejectedShare * 100
                            + "% of an hour's rows rejected (--maxRejectedShare; the hour is held"
                            + " back, the others load; load it with streamify hourly --hour=HOUR"
                            + " --lookbackHours=0 --maxRejectedShare=… once the fault is"
                            + " understood)")))
            .apply("AllHourFailures", Flatten.pCollections());
    // each failing key starts with the hour's datetime key, yyyyMMddHH
    PCollection<Long> held =
        PCollectionList.of(mismatches)
            .and(tooManyRejects)
            .apply("FailingHourKeys", Flatten.pCollections())
            .apply(
                "HeldHours",
                MapElements.into(TypeDescriptors.longs())
                    .via(
                        k -> Hours.fromDatetimeKey(Long.parseLong(k.substring(0, k.indexOf(' '))))))
            .apply("DistinctHours", Distinct.create());
    return PCollectionTuple.of(
            FAILURES, PCollectionList.of(failures).apply("AllFailures", Flatten.pCollections()))
        .and(HOUR_FAILURES, hourLines)
        .and(HELD_HOURS, held);
  }

  /** Every failure line, the model's and the hours' (for tests and reports). */
  public static PCollection<String> allFailures(PCollectionTuple checked) {
    return PCollectionList.of(checked.get(FAILURES))
        .and(checked.get(HOUR_FAILURES))
        .apply("EveryFailure", Flatten.pCollections());
  }

  /**
   * Per hour and table: lake rows − duplicates = raw rows + rejected rows, and fact rows = raw
   * rows. The lake and duplicate counts come from staging's counts, the others from the tables
   * themselves. A failing key: "yyyyMMddHH table {counts}".
   */
  private static PCollection<String> reconcile(
      Map<WarehouseTable, PCollection<GenericRecord>> tables, PCollection<HourCount> hourCounts) {
    List<PCollection<KV<String, Long>>> counts = new ArrayList<>();
    counts.add(hourCounts.apply("Expected per hour", ParDo.of(new ExpectedFn())));
    for (WarehouseTable t : WarehouseTable.values()) {
      if (tables.get(t) == null || !(t.isRaw() || t.isFact())) {
        continue;
      }
      String source = t.isRaw() ? t.tableName() : t.factSource().tableName();
      String role = t.isRaw() ? "raw" : "facts";
      counts.add(
          tables
              .get(t)
              .apply(
                  "Rows per hour " + t.tableName(),
                  MapElements.into(
                          TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                      .via(r -> KV.of(slot((Long) r.get("ts"), source) + role, 1L))));
    }
    if (tables.get(WarehouseTable.REJECTS) != null) {
      counts.add(
          tables
              .get(WarehouseTable.REJECTS)
              .apply(
                  "Rejects per hour",
                  MapElements.into(
                          TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                      .via(
                          r ->
                              KV.of(
                                  slot((Long) r.get("ts"), r.get("source_table").toString())
                                      + "rejected",
                                  1L))));
    }
    return PCollectionList.of(counts)
        .apply("All counts", Flatten.pCollections())
        .apply("Sum counts", Grouping.sumPerKey())
        .apply(
            "By hour and table",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via(
                    kv -> {
                      String k = kv.getKey();
                      int role = k.lastIndexOf(' ');
                      return KV.of(
                          k.substring(0, role), k.substring(role + 1) + "=" + kv.getValue());
                    }))
        .apply("Counts together", Grouping.byKey())
        .apply("Mismatches", ParDo.of(new MismatchFn()));
  }

  /** "yyyyMMddHH table ": the hour and table a count is of, before its role. */
  static String slot(long ts, String table) {
    return Hours.datetimeKey(ts) + " " + table + " ";
  }

  static final class ExpectedFn extends DoFn<HourCount, KV<String, Long>> {
    @ProcessElement
    public void process(@Element HourCount r, OutputReceiver<KV<String, Long>> out) {
      String at = slot(r.hourStart(), r.tableName());
      out.output(KV.of(at + "lake", r.lakeRows()));
      out.output(KV.of(at + "duplicates", r.duplicateRows()));
      out.output(KV.of(at + "raw", 0L));
      out.output(KV.of(at + "rejected", 0L));
      out.output(KV.of(at + "facts", 0L));
    }
  }

  static final class MismatchFn extends DoFn<KV<String, Iterable<String>>, String> {
    @ProcessElement
    public void process(@Element KV<String, Iterable<String>> kv, OutputReceiver<String> out) {
      TreeMap<String, Long> byRole = new TreeMap<>();
      for (String v : kv.getValue()) {
        byRole.put(v.substring(0, v.indexOf('=')), Long.parseLong(v.substring(v.indexOf('=') + 1)));
      }
      long lake = byRole.getOrDefault("lake", -1L);
      long duplicates = byRole.getOrDefault("duplicates", 0L);
      long raw = byRole.getOrDefault("raw", 0L);
      long rejected = byRole.getOrDefault("rejected", 0L);
      long facts = byRole.getOrDefault("facts", 0L);
      if (lake - duplicates != raw + rejected || facts != raw) {
        out.output(kv.getKey() + " " + byRole);
      }
    }
  }

  /** Hours and tables with more rows rejected than the share allows: a systemic fault. */
  private static PCollection<String> rejectedShare(
      PCollection<HourCount> hourCounts, double maxShare) {
    return hourCounts.apply("Rejected share", ParDo.of(new RejectedShareFn(maxShare)));
  }

  static final class RejectedShareFn extends DoFn<HourCount, String> {
    private final double maxShare;

    RejectedShareFn(double maxShare) {
      this.maxShare = maxShare;
    }

    @ProcessElement
    public void process(@Element HourCount r, OutputReceiver<String> out) {
      long lake = r.lakeRows();
      long rejected = r.rejectedRows();
      if (rejected >= MIN_REJECTS_TO_FAIL && rejected > maxShare * lake) {
        out.output(slot(r.hourStart(), r.tableName()) + rejected + " of " + lake);
      }
    }
  }
}
