package io.streamify.hourly.checks;

import io.streamify.hourly.grouping.Grouping;
import io.streamify.hourly.summaries.HourCount;
import io.streamify.lake.TableHour;
import io.streamify.rows.Column.Timestamp;
import io.streamify.rows.RowType;
import io.streamify.warehouse.Rule;
import io.streamify.warehouse.WarehouseTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
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
    List<Rule> rules = Rule.all().stream().filter(r -> RuleChecks.canCheck(r, tables)).toList();
    PCollection<String> failures = RuleChecks.check(rules, tables, begin.getPipeline());
    PCollection<KV<TableHour, String>> mismatches = reconcile(tables, hourCounts);
    PCollection<KV<TableHour, String>> tooManyRejects = rejectedShare(hourCounts, maxRejectedShare);
    PCollection<String> hourLines =
        PCollectionList.of(
                mismatches
                    .apply("Mismatch details", Values.create())
                    .apply(
                        "Reconcile report",
                        RuleChecks.report(
                            "hour counts: lake rows - duplicates = raw +"
                                + " rejected rows and facts = raw rows do not hold")))
            .and(
                tooManyRejects
                    .apply("Rejected share details", Values.create())
                    .apply(
                        "Rejected share report",
                        RuleChecks.report(
                            "rejects: more than "
                                + maxRejectedShare * 100
                                + "% of an hour's rows rejected (--maxRejectedShare; the hour is"
                                + " held back, the others load; load it with streamify hourly"
                                + " --hour=HOUR --lookbackHours=0 --maxRejectedShare=… once the"
                                + " fault is understood)")))
            .apply("AllHourFailures", Flatten.pCollections());
    PCollection<Long> held =
        PCollectionList.of(mismatches)
            .and(tooManyRejects)
            .apply("FailingHours", Flatten.pCollections())
            .apply(
                "HeldHours",
                MapElements.into(TypeDescriptors.longs()).via(kv -> kv.getKey().hourStart()))
            .apply("DistinctHours", Distinct.create());
    return PCollectionTuple.of(FAILURES, failures)
        .and(HOUR_FAILURES, hourLines)
        .and(HELD_HOURS, held);
  }

  /** Every failure line, the model's and the hours' (for tests and reports). */
  public static PCollection<String> allFailures(PCollectionTuple checked) {
    return PCollectionList.of(checked.get(FAILURES))
        .and(checked.get(HOUR_FAILURES))
        .apply("EveryFailure", Flatten.pCollections());
  }

  /** One count of an hour of a table: its role (lake, duplicates, raw, rejected, facts). */
  public record Counted(String table, @Timestamp long hourStart, String role) {
    static final RowType<Counted> TYPE = RowType.of(Counted.class, "io.streamify.hourly.avro");

    static KV<Counted, Long> of(long ts, String table, String role, long n) {
      return KV.of(new Counted(table, TableHour.of(table, ts).hourStart(), role), n);
    }
  }

  /**
   * Per hour and table: lake rows − duplicates = raw rows + rejected rows, and fact rows = raw
   * rows. The lake and duplicate counts come from staging's counts, the others from the tables
   * themselves. Out: the failing hours of tables, each with its line's detail, "yyyyMMddHH table
   * {role=count, …}".
   */
  private static PCollection<KV<TableHour, String>> reconcile(
      Map<WarehouseTable, PCollection<GenericRecord>> tables, PCollection<HourCount> hourCounts) {
    List<PCollection<KV<Counted, Long>>> counts = new ArrayList<>();
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
                          TypeDescriptors.kvs(
                              TypeDescriptor.of(Counted.class), TypeDescriptors.longs()))
                      .via(r -> Counted.of((Long) r.get("ts"), source, role, 1L))));
    }
    if (tables.get(WarehouseTable.REJECTS) != null) {
      counts.add(
          tables
              .get(WarehouseTable.REJECTS)
              .apply(
                  "Rejects per hour",
                  MapElements.into(
                          TypeDescriptors.kvs(
                              TypeDescriptor.of(Counted.class), TypeDescriptors.longs()))
                      .via(
                          r ->
                              Counted.of(
                                  (Long) r.get("ts"),
                                  r.get("source_table").toString(),
                                  "rejected",
                                  1L))));
    }
    KvCoder<Counted, Long> coder = KvCoder.of(Counted.TYPE.coder(), VarLongCoder.of());
    return PCollectionList.of(counts.stream().map(c -> c.setCoder(coder)).toList())
        .apply("All counts", Flatten.pCollections())
        .apply("Sum counts", Grouping.sumPerKey())
        .apply(
            "By hour and table",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptor.of(TableHour.class),
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs())))
                .via(
                    kv ->
                        KV.of(
                            new TableHour(kv.getKey().table(), kv.getKey().hourStart()),
                            KV.of(kv.getKey().role(), kv.getValue()))))
        .setCoder(
            KvCoder.of(TableHour.TYPE.coder(), KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
        .apply("Counts together", Grouping.byKey())
        .apply("Mismatches", ParDo.of(new MismatchFn()))
        .setCoder(KvCoder.of(TableHour.TYPE.coder(), StringUtf8Coder.of()));
  }

  /** "yyyyMMddHH table ": how a line names the hour of a table. */
  static String slot(TableHour at) {
    return at.datetimeKey() + " " + at.table() + " ";
  }

  static final class ExpectedFn extends DoFn<HourCount, KV<Counted, Long>> {
    @ProcessElement
    public void process(@Element HourCount r, OutputReceiver<KV<Counted, Long>> out) {
      out.output(Counted.of(r.hourStart(), r.tableName(), "lake", r.lakeRows()));
      out.output(Counted.of(r.hourStart(), r.tableName(), "duplicates", r.duplicateRows()));
      out.output(Counted.of(r.hourStart(), r.tableName(), "raw", 0L));
      out.output(Counted.of(r.hourStart(), r.tableName(), "rejected", 0L));
      out.output(Counted.of(r.hourStart(), r.tableName(), "facts", 0L));
    }
  }

  static final class MismatchFn
      extends DoFn<KV<TableHour, Iterable<KV<String, Long>>>, KV<TableHour, String>> {
    @ProcessElement
    public void process(
        @Element KV<TableHour, Iterable<KV<String, Long>>> kv,
        OutputReceiver<KV<TableHour, String>> out) {
      TreeMap<String, Long> byRole = new TreeMap<>();
      for (KV<String, Long> v : kv.getValue()) {
        byRole.put(v.getKey(), v.getValue());
      }
      long lake = byRole.getOrDefault("lake", -1L);
      long duplicates = byRole.getOrDefault("duplicates", 0L);
      long raw = byRole.getOrDefault("raw", 0L);
      long rejected = byRole.getOrDefault("rejected", 0L);
      long facts = byRole.getOrDefault("facts", 0L);
      if (lake - duplicates != raw + rejected || facts != raw) {
        out.output(KV.of(kv.getKey(), slot(kv.getKey()) + byRole));
      }
    }
  }

  /** Hours and tables with more rows rejected than the share allows: a systemic fault. */
  private static PCollection<KV<TableHour, String>> rejectedShare(
      PCollection<HourCount> hourCounts, double maxShare) {
    return hourCounts
        .apply("Rejected share", ParDo.of(new RejectedShareFn(maxShare)))
        .setCoder(KvCoder.of(TableHour.TYPE.coder(), StringUtf8Coder.of()));
  }

  static final class RejectedShareFn extends DoFn<HourCount, KV<TableHour, String>> {
    private final double maxShare;

    RejectedShareFn(double maxShare) {
      this.maxShare = maxShare;
    }

    @ProcessElement
    public void process(@Element HourCount r, OutputReceiver<KV<TableHour, String>> out) {
      long lake = r.lakeRows();
      long rejected = r.rejectedRows();
      if (rejected >= MIN_REJECTS_TO_FAIL && rejected > maxShare * lake) {
        out.output(KV.of(r.tableHour(), slot(r.tableHour()) + rejected + " of " + lake));
      }
    }
  }
}
