package io.streamify.hourly.checks;

import io.streamify.hourly.grouping.Grouping;
import io.streamify.rows.RowType;
import io.streamify.warehouse.Rule;
import io.streamify.warehouse.WarehouseTable;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Every declared {@link Rule} checked on the tables' Avro records (columns by the names the rules
 * declare), all with one grouping: each table's rows become the sides of the rules they take part
 * in, keyed by (rule, key value); one GroupByKey brings every key's sides together; each rule's
 * kind decides which keys fail. Accepted values need no grouping. Out: per failing rule one line,
 * "table: what fails: N failing, e.g. the first few keys (and the rows they are in)".
 */
final class RuleChecks {
  static final int EXAMPLES = 5;

  private static final TupleTag<KV<RuleKey, Side>> SIDES = new TupleTag<>() {};
  private static final TupleTag<KV<Integer, String>> FAILING = new TupleTag<>() {};

  private RuleChecks() {}

  /** Whether the tables a rule needs are in the run. */
  static boolean canCheck(Rule rule, Map<WarehouseTable, PCollection<GenericRecord>> tables) {
    if (!tables.containsKey(rule.table())) {
      return false;
    }
    if (rule instanceof Rule.Relationship r) {
      return tables.containsKey(r.target());
    }
    if (rule instanceof Rule.VersionInForce v) {
      return tables.containsKey(v.target());
    }
    return true;
  }

  /**
   * The failure lines of {@code rules}, one per rule that fails; every table the rules name must be
   * in {@code tables} ({@link #canCheck}).
   */
  static PCollection<String> check(
      List<Rule> rules, Map<WarehouseTable, PCollection<GenericRecord>> tables, Pipeline p) {
    List<PCollection<KV<RuleKey, Side>>> sides = new ArrayList<>();
    List<PCollection<KV<Integer, String>>> failing = new ArrayList<>();
    KvCoder<Integer, String> failingCoder = KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of());
    for (var e : tables.entrySet()) {
      WarehouseTable t = e.getKey();
      if (rules.stream().noneMatch(r -> tablesOf(r).contains(t))) {
        continue;
      }
      PCollectionTuple out =
          e.getValue()
              .apply(
                  "Sides of " + t.tableName(),
                  ParDo.of(new SidesFn(t, rules)).withOutputTags(SIDES, TupleTagList.of(FAILING)));
      sides.add(out.get(SIDES).setCoder(KvCoder.of(RuleKey.TYPE.coder(), Side.TYPE.coder())));
      failing.add(out.get(FAILING).setCoder(failingCoder));
    }
    failing.add(
        PCollectionList.<KV<RuleKey, Side>>empty(p)
            .and(sides)
            .apply("All sides", Flatten.pCollections())
            .apply("Per rule and key", Grouping.byKey())
            .apply("Failing keys", ParDo.of(new FailingFn(rules)))
            .setCoder(failingCoder));
    List<String> checks = rules.stream().map(RuleChecks::check).toList();
    return PCollectionList.of(failing)
        .apply("All failing", Flatten.pCollections())
        .apply("Examples per rule", Combine.perKey(new Examples()))
        .apply(
            "Lines",
            MapElements.into(TypeDescriptors.strings())
                .via(kv -> line(checks.get(kv.getKey()), kv.getValue())));
  }

  /** The tables a rule reads. */
  static Set<WarehouseTable> tablesOf(Rule rule) {
    if (rule instanceof Rule.Relationship r) {
      return Set.of(r.table(), r.target());
    }
    if (rule instanceof Rule.VersionInForce v) {
      return Set.of(v.table(), v.target());
    }
    return Set.of(rule.table());
  }

  /** What a rule's failure line says fails. */
  static String check(Rule rule) {
    String table = rule.table().tableName();
    if (rule instanceof Rule.Unique u) {
      return table + ": " + u.as() + " is not unique";
    }
    if (rule instanceof Rule.Relationship r) {
      return table + ": " + r.column() + " without a row in " + r.target().tableName();
    }
    if (rule instanceof Rule.VersionInForce v) {
      return table
          + ": "
          + v.column()
          + " without exactly one "
          + v.target().tableName()
          + " version in force";
    }
    if (rule instanceof Rule.Versions v) {
      return table
          + ": versions of a "
          + v.key()
          + " overlap or end before they start ("
          + v.from()
          + ", "
          + v.to()
          + ")";
    }
    Rule.AcceptedValues a = (Rule.AcceptedValues) rule;
    return table + ": " + a.column() + " not in (" + String.join(", ", a.values()) + ")";
  }

  /** "check: N failing, e.g. a; b; c". */
  private static String line(String check, KV<Long, String> examples) {
    return check + ": " + examples.getKey() + " failing, e.g. " + examples.getValue();
  }

  /**
   * How failure lines describe a row: by its table's grain, e.g. "session 7 item 3" for a grain
   * named "(session, item)".
   */
  static SerializableFunction<GenericRecord, String> describe(WarehouseTable table) {
    Rule.Unique grain =
        Rule.of(table).stream()
            .filter(r -> r instanceof Rule.Unique)
            .map(r -> (Rule.Unique) r)
            .findFirst()
            .orElseThrow();
    List<String> columns = grain.columns();
    String[] words = grain.as().replaceAll("[()]", "").split(",\\s*");
    return r -> {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < columns.size(); i++) {
        b.append(i == 0 ? "" : " ")
            .append(words.length == columns.size() ? words[i] : columns.get(i))
            .append(' ')
            .append(r.get(columns.get(i)));
      }
      return b.toString();
    };
  }

  /** The values of the columns, joined by "/". */
  private static String key(GenericRecord r, List<String> columns) {
    if (columns.size() == 1) {
      return String.valueOf(r.get(columns.get(0)));
    }
    StringBuilder b = new StringBuilder();
    for (String c : columns) {
      b.append(b.length() == 0 ? "" : "/").append(r.get(c));
    }
    return b.toString();
  }

  /** What a check groups by: a rule (its index in the run's rules) and a key value of it. */
  public record RuleKey(int rule, String key) {
    static final RowType<RuleKey> TYPE = RowType.of(RuleKey.class, "io.streamify.hourly.avro");
  }

  /**
   * One side of a rule's key: a row that has the key (its time and description), or a row of the
   * table referred to (its validity, for a type 2 table).
   */
  public record Side(boolean referred, long at, long from, long to, String row) {
    static final RowType<Side> TYPE = RowType.of(Side.class, "io.streamify.hourly.avro");

    static Side referring(long at, String row) {
      return new Side(false, at, 0, 0, row);
    }

    static Side referred(long from, long to) {
      return new Side(true, 0, from, to, "");
    }
  }

  /**
   * A row of one table → its sides for every rule it takes part in ({@link #SIDES}), and, for
   * accepted values, the failing rows themselves ({@link #FAILING}: rule index, example).
   */
  static final class SidesFn extends DoFn<GenericRecord, KV<RuleKey, Side>> {
    private final WarehouseTable table;
    private final List<Rule> rules;
    private final SerializableFunction<GenericRecord, String> describe;

    SidesFn(WarehouseTable table, List<Rule> rules) {
      this.table = table;
      this.rules = List.copyOf(rules);
      // Only rules that name failing rows (not keys) describe them, by the table's grain.
      boolean namesRows =
          rules.stream()
              .anyMatch(
                  r ->
                      r.table() == table
                          && (r instanceof Rule.Relationship
                              || r instanceof Rule.VersionInForce
                              || r instanceof Rule.AcceptedValues));
      this.describe = namesRows ? describe(table) : null;
    }

    @ProcessElement
    public void process(@Element GenericRecord r, MultiOutputReceiver out) {
      OutputReceiver<KV<RuleKey, Side>> sides = out.get(SIDES);
      for (int i = 0; i < rules.size(); i++) {
        Rule rule = rules.get(i);
        boolean own = rule.table() == table;
        if (rule instanceof Rule.Unique u) {
          if (own) {
            sides.output(KV.of(new RuleKey(i, key(r, u.columns())), Side.referring(0, "")));
          }
        } else if (rule instanceof Rule.Relationship rel) {
          if (own) {
            sides.output(
                KV.of(
                    new RuleKey(i, String.valueOf(r.get(rel.column()))),
                    Side.referring(0, describe.apply(r))));
          }
          if (rel.target() == table) {
            sides.output(
                KV.of(
                    new RuleKey(i, String.valueOf(r.get(rel.targetColumn()))),
                    Side.referred(0, 0)));
          }
        } else if (rule instanceof Rule.VersionInForce v) {
          if (own) {
            sides.output(
                KV.of(
                    new RuleKey(i, String.valueOf(r.get(v.column()))),
                    Side.referring((Long) r.get(v.at()), describe.apply(r))));
          }
          if (v.target() == table) {
            sides.output(
                KV.of(
                    new RuleKey(i, String.valueOf(r.get(v.key()))),
                    Side.referred((Long) r.get(v.from()), (Long) r.get(v.to()))));
          }
        } else if (rule instanceof Rule.Versions v) {
          if (own) {
            sides.output(
                KV.of(
                    new RuleKey(i, String.valueOf(r.get(v.key()))),
                    Side.referred((Long) r.get(v.from()), (Long) r.get(v.to()))));
          }
        } else if (rule instanceof Rule.AcceptedValues a && own) {
          String value = String.valueOf(r.get(a.column()));
          if (!a.values().contains(value)) {
            out.get(FAILING).output(KV.of(i, "'" + value + "' (" + describe.apply(r) + ")"));
          }
        }
      }
    }
  }

  /** A rule's key with all its sides → the key as a failing example, if the rule fails for it. */
  static final class FailingFn extends DoFn<KV<RuleKey, Iterable<Side>>, KV<Integer, String>> {
    private final List<Rule> rules;

    FailingFn(List<Rule> rules) {
      this.rules = List.copyOf(rules);
    }

    @ProcessElement
    public void process(
        @Element KV<RuleKey, Iterable<Side>> kv, OutputReceiver<KV<Integer, String>> out) {
      int i = kv.getKey().rule();
      String key = kv.getKey().key();
      Rule rule = rules.get(i);
      String failing = null;
      if (rule instanceof Rule.Unique) {
        failing = repeated(key, kv.getValue());
      } else if (rule instanceof Rule.Relationship) {
        failing = dangling(key, kv.getValue());
      } else if (rule instanceof Rule.VersionInForce v) {
        failing = notOneVersion(v.column(), key, kv.getValue());
      } else if (rule instanceof Rule.Versions) {
        failing = badVersions(key, kv.getValue());
      }
      if (failing != null) {
        out.output(KV.of(i, failing));
      }
    }
  }

  /** A key that occurs more than once, with how many rows have it. */
  static String repeated(String key, Iterable<Side> rows) {
    long n = 0;
    for (Side ignored : rows) {
      n++;
    }
    return n > 1 ? key + " (" + n + " rows)" : null;
  }

  /** A key no row is referred to by: the key and the least row referring to it. */
  static String dangling(String key, Iterable<Side> sides) {
    String example = null;
    for (Side v : sides) {
      if (v.referred()) {
        return null;
      }
      example = example == null || v.row().compareTo(example) < 0 ? v.row() : example;
    }
    return key + " (" + example + ")";
  }

  /** A key's first row (by time, then description) without exactly one version in force. */
  static String notOneVersion(String column, String key, Iterable<Side> sides) {
    List<Side> periods = new ArrayList<>();
    List<Side> rows = new ArrayList<>();
    for (Side v : sides) {
      (v.referred() ? periods : rows).add(v);
    }
    rows.sort(Comparator.comparingLong(Side::at).thenComparing(Side::row));
    for (Side r : rows) {
      long inForce = periods.stream().filter(p -> p.from() <= r.at() && r.at() < p.to()).count();
      if (inForce != 1) {
        return column
            + " "
            + key
            + " at "
            + Instant.ofEpochMilli(r.at())
            + " ("
            + r.row()
            + "): "
            + inForce
            + " versions";
      }
    }
    return null;
  }

  /** A key whose versions, by start, overlap or one of which ends before it starts. */
  static String badVersions(String key, Iterable<Side> sides) {
    List<Side> periods = new ArrayList<>();
    sides.forEach(periods::add);
    periods.sort(Comparator.comparingLong(Side::from).thenComparingLong(Side::to));
    for (int i = 0; i < periods.size(); i++) {
      Side p = periods.get(i);
      boolean inverted = p.from() >= p.to();
      boolean overlaps = i > 0 && p.from() < periods.get(i - 1).to();
      if (inverted || overlaps) {
        return key
            + " (["
            + Instant.ofEpochMilli(p.from())
            + ", "
            + Instant.ofEpochMilli(p.to())
            + ")"
            + (overlaps ? " overlaps the one before" : " ends before it starts")
            + ")";
      }
    }
    return null;
  }

  /** Many failing keys → one line: the check, how many, and the first few in order. */
  static PTransform<PCollection<String>, PCollection<String>> report(String check) {
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
    static final class Acc implements Serializable {
      long count;
      TreeSet<String> first = new TreeSet<>();

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
    public Coder<Acc> getAccumulatorCoder(CoderRegistry registry, Coder<String> inputCoder) {
      return SerializableCoder.of(Acc.class);
    }
  }
}
