package io.streamify.hourly;

import io.streamify.hourly.grouping.Grouping;
import io.streamify.hourly.summaries.HourCount;
import io.streamify.lake.Hours;
import io.streamify.warehouse.WarehouseTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The checks every run makes before it loads anything. A row that breaks a rule of the event
 * contract never gets here: staging put it in the rejects table ({@link CleanAndDeduplicate}), and
 * the hour loads. What is checked here are the model's invariants, which only a fault can break,
 * and a failure stops the whole load:
 *
 * <ul>
 *   <li>keys unique: each dimension's key, each raw and fact table's (session, item);
 *   <li>every fact key resolving to a dimension row (for users: exactly one version in force at the
 *       fact's time);
 *   <li>per hour and table, every lake row accounted for, each count taken from a different
 *       collection: lake rows − duplicates removed = raw rows + rejected rows, and fact rows = raw
 *       rows;
 *   <li>a systemic fault: more than {@code maxRejectedShare} of an hour's rows of a table rejected
 *       (and at least {@value #MIN_REJECTS_TO_FAIL} of them; fewer never fail).
 * </ul>
 *
 * Output: one line per failed check naming the table, the check, how many keys fail and a few of
 * them; empty when all pass. (Keys are never NULL: the tables' schemas do not allow it.)
 */
public final class DataQuality extends PTransform<PBegin, PCollectionTuple> {
  /** Failed checks of the model as a whole (keys, relationships): nothing may be loaded. */
  public static final TupleTag<String> FAILURES = new TupleTag<>() {};

  /** Failed checks of single hours (reconciliation, rejected share), one line per check. */
  public static final TupleTag<String> HOUR_FAILURES = new TupleTag<>() {};

  /** The hours those checks failed for: held back, while the other hours load. */
  public static final TupleTag<Long> HELD_HOURS = new TupleTag<>() {};

  static final int EXAMPLES = 5;

  /** Fewer rejected rows than this in an hour never fail a run, whatever their share. */
  static final long MIN_REJECTS_TO_FAIL = 100;

  private final Map<WarehouseTable, PCollection<GenericRecord>> tables;
  private final PCollection<HourCount> hourCounts;
  private final double maxRejectedShare;

  /**
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
    for (WarehouseTable t : WarehouseTable.values()) {
      PCollection<GenericRecord> rows = tables.get(t);
      if (rows == null) {
        continue;
      }
      if (t == WarehouseTable.REJECTS || t.kind() == WarehouseTable.Kind.LOG) {
        continue; // one event may break several rules; a log is a history
      }
      if (t.kind() == WarehouseTable.Kind.HOURLY) {
        boolean raw = t.isRaw();
        failures.add(
            unique(
                t,
                rows,
                "(session, item)",
                r ->
                    raw
                        ? r.get("sessionId") + "/" + r.get("itemInSession")
                        : r.get("session_id") + "/" + r.get("item_in_session")));
      } else if (t == WarehouseTable.DIM_USERS) {
        failures.add(unique(t, rows, "user_key", r -> String.valueOf(r.get("user_key"))));
        failures.add(
            unique(
                t,
                rows,
                "(user_id, row_activation)",
                r -> r.get("user_id") + "@" + r.get("row_activation")));
      } else {
        String key = t.schema().getFields().get(0).name();
        failures.add(unique(t, rows, key, r -> String.valueOf(r.get(key))));
      }
    }
    for (WarehouseTable fact :
        List.of(
            WarehouseTable.FACT_STREAMS,
            WarehouseTable.FACT_PAGE_VIEWS,
            WarehouseTable.FACT_LOGINS,
            WarehouseTable.FACT_SUBSCRIPTION_CHANGES)) {
      failures.add(resolves(tables, fact, "location_key", WarehouseTable.DIM_LOCATION));
      failures.add(resolves(tables, fact, "datetime_key", WarehouseTable.DIM_DATETIME));
      failures.add(userVersions(tables, fact));
      if (fact == WarehouseTable.FACT_STREAMS) {
        failures.add(resolves(tables, fact, "song_key", WarehouseTable.DIM_SONGS));
        failures.add(resolves(tables, fact, "artist_key", WarehouseTable.DIM_ARTISTS));
      }
    }
    PCollection<String> mismatches = reconcile(tables, hourCounts);
    PCollection<String> tooManyRejects = rejectedShare(hourCounts, maxRejectedShare);
    PCollection<String> hourLines =
        PCollectionList.of(
                mismatches.apply(
                    "Reconcile report",
                    report(
                        "hour counts: lake rows - duplicates = raw +"
                            + " rejected rows and facts = raw rows do not hold")))
            .and(
                tooManyRejects.apply(
                    "Rejected share report",
                    report(
                        "rejects: more than "
                            + maxRejectedShare * 100
                            + "% of an hour's rows rejected (--maxRejectedShare; the"
                            + " hour is held back, the others load; load it with streamify hourly --hour=HOUR"
                            + " --lookbackHours=0 --maxRejectedShare=… once the fault is understood)")))
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
            .apply("DistinctHours", org.apache.beam.sdk.transforms.Distinct.create());
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

  /** Keys that occur more than once. */
  private static PCollection<String> unique(
      WarehouseTable t,
      PCollection<GenericRecord> rows,
      String what,
      SerializableFunction<GenericRecord, String> key) {
    String name = t.tableName() + " unique " + what;
    return rows.apply(
            name + " keys",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                .via(r -> KV.of(key.apply(r), 1L)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .apply(name + " count", Grouping.combining(new Sum()))
        .apply(
            name + " repeated",
            ParDo.of(
                new DoFn<KV<String, Long>, String>() {
                  @ProcessElement
                  public void process(@Element KV<String, Long> kv, OutputReceiver<String> out) {
                    if (kv.getValue() > 1) {
                      out.output(kv.getKey() + " (" + kv.getValue() + " rows)");
                    }
                  }
                }))
        .apply(name + " report", report(t.tableName() + ": " + what + " is not unique"));
  }

  /** Fact keys without a dimension row. */
  private static PCollection<String> resolves(
      Map<WarehouseTable, PCollection<GenericRecord>> tables,
      WarehouseTable fact,
      String field,
      WarehouseTable dim) {
    String name = fact.tableName() + "." + field;
    String dimKey = dim.schema().getFields().get(0).name();
    // Joined in buckets: a fact's value starts with "F", a dimension row's is "D".
    PCollection<KV<Long, String>> factKeys =
        tables
            .get(fact)
            .apply(
                name + " keys",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.strings()))
                    .via(
                        r ->
                            KV.of(
                                (Long) r.get(field),
                                "Fsession "
                                    + r.get("session_id")
                                    + " item "
                                    + r.get("item_in_session"))))
            .setCoder(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()));
    PCollection<KV<Long, String>> dimKeys =
        tables
            .get(dim)
            .apply(
                name + " " + dim.tableName() + " keys",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.strings()))
                    .via(r -> KV.of((Long) r.get(dimKey), "D")))
            .setCoder(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()));
    return PCollectionList.of(factKeys)
        .and(dimKeys)
        .apply(name + " both", Flatten.pCollections())
        .apply(name + " join", Grouping.byKey())
        .apply(
            name + " dangling",
            ParDo.of(
                new DoFn<KV<Long, Iterable<String>>, String>() {
                  @ProcessElement
                  public void process(
                      @Element KV<Long, Iterable<String>> kv, OutputReceiver<String> out) {
                    String example = null;
                    for (String v : kv.getValue()) {
                      if (v.equals("D")) {
                        return;
                      }
                      example = example == null ? v.substring(1) : example;
                    }
                    out.output(kv.getKey() + " (" + example + ")");
                  }
                }))
        .apply(
            name + " report",
            report(fact.tableName() + ": " + field + " without a row in " + dim.tableName()));
  }

  /** Facts whose user has not exactly one dim_users version in force at the fact's time. */
  private static PCollection<String> userVersions(
      Map<WarehouseTable, PCollection<GenericRecord>> tables, WarehouseTable fact) {
    String name = fact.tableName() + ".user_id";
    // Joined in buckets: a fact's value starts with "F", a version's with "V".
    PCollection<KV<Long, String>> factUsers =
        tables
            .get(fact)
            .apply(
                name + " users",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.strings()))
                    .via(
                        r ->
                            KV.of(
                                (Long) r.get("user_id"),
                                "F"
                                    + r.get("ts")
                                    + " session "
                                    + r.get("session_id")
                                    + " item "
                                    + r.get("item_in_session"))))
            .setCoder(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()));
    PCollection<KV<Long, String>> userRows =
        tables
            .get(WarehouseTable.DIM_USERS)
            .apply(
                name + " versions",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.strings()))
                    .via(
                        r ->
                            KV.of(
                                (Long) r.get("user_id"),
                                "V" + r.get("row_activation") + " " + r.get("row_expiration"))))
            .setCoder(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()));
    return PCollectionList.of(factUsers)
        .and(userRows)
        .apply(name + " both", Flatten.pCollections())
        .apply(name + " join", Grouping.byKey())
        .apply(
            name + " not one version",
            ParDo.of(
                new DoFn<KV<Long, Iterable<String>>, String>() {
                  @ProcessElement
                  public void process(
                      @Element KV<Long, Iterable<String>> kv, OutputReceiver<String> out) {
                    List<long[]> periods = new ArrayList<>();
                    List<String> facts = new ArrayList<>();
                    for (String v : kv.getValue()) {
                      if (v.startsWith("V")) {
                        String[] f = v.substring(1).split(" ");
                        periods.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
                      } else {
                        facts.add(v.substring(1));
                      }
                    }
                    for (String f : facts) {
                      long ts = Long.parseLong(f.substring(0, f.indexOf(' ')));
                      long inForce = periods.stream().filter(p -> p[0] <= ts && ts < p[1]).count();
                      if (inForce != 1) {
                        out.output(
                            "user " + kv.getKey() + " at " + f + ": " + inForce + " versions");
                        return;
                      }
                    }
                  }
                }))
        .apply(
            name + " report",
            report(
                fact.tableName()
                    + ": user_id without exactly one"
                    + " dim_users version in force"));
  }

  /**
   * Per hour and table: lake rows − duplicates = raw rows + rejected rows, and fact rows = raw
   * rows. The lake and duplicate counts come from the staging's counts, the others from the tables
   * themselves.
   */
  private static PCollection<String> reconcile(
      Map<WarehouseTable, PCollection<GenericRecord>> tables, PCollection<HourCount> hourCounts) {
    List<PCollection<KV<String, Long>>> counts = new ArrayList<>();
    counts.add(
        hourCounts.apply(
            "Expected per hour",
            ParDo.of(
                new DoFn<HourCount, KV<String, Long>>() {
                  @ProcessElement
                  public void process(@Element HourCount r, OutputReceiver<KV<String, Long>> out) {
                    String at = Hours.datetimeKey(r.hourStart()) + " " + r.tableName() + " ";
                    out.output(KV.of(at + "lake", r.lakeRows()));
                    out.output(KV.of(at + "duplicates", r.duplicateRows()));
                    out.output(KV.of(at + "raw", 0L));
                    out.output(KV.of(at + "rejected", 0L));
                    out.output(KV.of(at + "facts", 0L));
                  }
                })));
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
                      .via(
                          r ->
                              KV.of(
                                  Hours.datetimeKey((Long) r.get("ts")) + " " + source + " " + role,
                                  1L))));
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
                                  Hours.datetimeKey((Long) r.get("ts"))
                                      + " "
                                      + r.get("source_table")
                                      + " rejected",
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
        .apply("Counts together", org.apache.beam.sdk.transforms.GroupByKey.create())
        .apply(
            "Mismatches",
            ParDo.of(
                new DoFn<KV<String, Iterable<String>>, String>() {
                  @ProcessElement
                  public void process(
                      @Element KV<String, Iterable<String>> kv, OutputReceiver<String> out) {
                    java.util.TreeMap<String, Long> byRole = new java.util.TreeMap<>();
                    for (String v : kv.getValue()) {
                      byRole.put(
                          v.substring(0, v.indexOf('=')),
                          Long.parseLong(v.substring(v.indexOf('=') + 1)));
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
                }));
  }

  /** Hours and tables with more rows rejected than the share allows: a systemic fault. */
  private static PCollection<String> rejectedShare(
      PCollection<HourCount> hourCounts, double maxShare) {
    return hourCounts.apply(
        "Rejected share",
        ParDo.of(
            new DoFn<HourCount, String>() {
              @ProcessElement
              public void process(@Element HourCount r, OutputReceiver<String> out) {
                long lake = r.lakeRows();
                long rejected = r.rejectedRows();
                if (rejected >= MIN_REJECTS_TO_FAIL && rejected > maxShare * lake) {
                  out.output(
                      Hours.datetimeKey(r.hourStart())
                          + " "
                          + r.tableName()
                          + " "
                          + rejected
                          + " of "
                          + lake);
                }
              }
            }));
  }

  static final class Sum extends Combine.BinaryCombineFn<Long> {
    @Override
    public Long apply(Long a, Long b) {
      return a + b;
    }
  }

  /** Many failing keys → one line: the check, how many, and the first few in order. */
  private static PTransform<PCollection<String>, PCollection<String>> report(String check) {
    return new PTransform<>() {
      @Override
      public PCollection<String> expand(PCollection<String> failing) {
        return failing
            .apply("Examples", Combine.globally(new Examples()).withoutDefaults())
            .apply(
                "Line",
                MapElements.into(TypeDescriptors.strings())
                    .via(e -> check + ": " + e.getKey() + " failing, e.g. " + e.getValue()));
      }
    };
  }

  /** Counts the failing keys and keeps the least few. */
  static final class Examples extends Combine.CombineFn<String, Examples.Acc, KV<Long, String>> {
    static final class Acc implements java.io.Serializable {
      long count;
      java.util.TreeSet<String> first = new java.util.TreeSet<>();

      @Override
      public boolean equals(Object o) {
        return o instanceof Acc a && a.count == count && a.first.equals(first);
      }

      @Override
      public int hashCode() {
        return Long.hashCode(count) * 31 + first.hashCode();
      }
    }

    @Override
    public Acc createAccumulator() {
      return new Acc();
    }

    @Override
    public Acc addInput(Acc acc, String key) {
      acc.count++;
      acc.first.add(key);
      if (acc.first.size() > EXAMPLES) {
        acc.first.pollLast();
      }
      return acc;
    }

    @Override
    public Acc mergeAccumulators(Iterable<Acc> accs) {
      Acc m = new Acc();
      for (Acc a : accs) {
        m.count += a.count;
        for (String k : a.first) {
          addInput(m, k);
          m.count--;
        }
      }
      return m;
    }

    @Override
    public KV<Long, String> extractOutput(Acc acc) {
      return KV.of(acc.count, String.join("; ", acc.first));
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Acc> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<String> inputCoder) {
      return org.apache.beam.sdk.coders.SerializableCoder.of(Acc.class);
    }
  }
}
