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
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
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
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * One generic check per kind of {@link Rule}, on the tables' Avro records (columns by the names the
 * rules declare). Each yields at most one failure line: "table: what fails: N failing, e.g. the
 * first few keys (and the rows they are in)".
 */
final class RuleChecks {
  static final int EXAMPLES = 5;

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

  /** The failure line of a rule, if it fails. */
  static PCollection<String> check(
      Rule rule, Map<WarehouseTable, PCollection<GenericRecord>> tables) {
    if (rule instanceof Rule.Unique u) {
      return unique(u, tables.get(u.table()));
    }
    if (rule instanceof Rule.Relationship r) {
      return resolves(r, tables.get(r.table()), tables.get(r.target()));
    }
    if (rule instanceof Rule.VersionInForce v) {
      return inForce(v, tables.get(v.table()), tables.get(v.target()));
    }
    if (rule instanceof Rule.Versions v) {
      return versions(v, tables.get(v.table()));
    }
    Rule.AcceptedValues a = (Rule.AcceptedValues) rule;
    return accepted(a, tables.get(a.table()));
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

  /** Keys that occur more than once. */
  private static PCollection<String> unique(Rule.Unique rule, PCollection<GenericRecord> rows) {
    String name = rule.table().tableName() + " unique " + rule.as();
    List<String> columns = rule.columns();
    return rows.apply(
            name + " keys",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                .via(r -> KV.of(key(r, columns), 1L)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        // one key per row: combined in buckets on the DirectRunner (Grouping), not per bundle
        .apply(name + " count", Grouping.combining(new Sum()))
        .apply(name + " repeated", ParDo.of(new RepeatedFn()))
        .apply(
            name + " report",
            report(rule.table().tableName() + ": " + rule.as() + " is not unique"));
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

  static final class Sum extends Combine.BinaryCombineFn<Long> {
    @Override
    public Long apply(Long a, Long b) {
      return a + b;
    }
  }

  static final class RepeatedFn extends DoFn<KV<String, Long>, String> {
    @ProcessElement
    public void process(@Element KV<String, Long> kv, OutputReceiver<String> out) {
      if (kv.getValue() > 1) {
        out.output(kv.getKey() + " (" + kv.getValue() + " rows)");
      }
    }
  }

  /**
   * One side of a join by key: a row that refers to the key (its time and description), or a row of
   * the table referred to (its validity, for a type 2 table).
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

  /** Each row as one side of a join by key. */
  private static PCollection<KV<Long, Side>> sides(
      String name,
      PCollection<GenericRecord> rows,
      SerializableFunction<GenericRecord, KV<Long, Side>> side) {
    return rows.apply(
            name,
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptor.of(Side.class)))
                .via(side))
        .setCoder(KvCoder.of(VarLongCoder.of(), Side.TYPE.coder()));
  }

  private static PCollection<KV<Long, Iterable<Side>>> join(
      String name, PCollection<KV<Long, Side>> referring, PCollection<KV<Long, Side>> referred) {
    return PCollectionList.of(referring)
        .and(referred)
        .apply(name + " both", Flatten.pCollections())
        .apply(name + " join", Grouping.byKey());
  }

  /** Values of a column without a row of the target with that key. */
  private static PCollection<String> resolves(
      Rule.Relationship rule, PCollection<GenericRecord> rows, PCollection<GenericRecord> target) {
    String name = rule.table().tableName() + "." + rule.column() + " references";
    String column = rule.column();
    String targetColumn = rule.targetColumn();
    SerializableFunction<GenericRecord, String> describe = describe(rule.table());
    PCollection<KV<Long, Side>> values =
        sides(
            name + " keys",
            rows,
            r -> KV.of((Long) r.get(column), Side.referring(0, describe.apply(r))));
    PCollection<KV<Long, Side>> keys =
        sides(
            name + " " + rule.target().tableName() + " keys",
            target,
            r -> KV.of((Long) r.get(targetColumn), Side.referred(0, 0)));
    return join(name, values, keys)
        .apply(name + " dangling", ParDo.of(new DanglingFn()))
        .apply(
            name + " report",
            report(
                rule.table().tableName()
                    + ": "
                    + column
                    + " without a row in "
                    + rule.target().tableName()));
  }

  /** A key no row is referred to by: the key and the least row referring to it. */
  static final class DanglingFn extends DoFn<KV<Long, Iterable<Side>>, String> {
    @ProcessElement
    public void process(@Element KV<Long, Iterable<Side>> kv, OutputReceiver<String> out) {
      String example = null;
      for (Side v : kv.getValue()) {
        if (v.referred()) {
          return;
        }
        example = example == null || v.row().compareTo(example) < 0 ? v.row() : example;
      }
      out.output(kv.getKey() + " (" + example + ")");
    }
  }

  /** Rows whose key has not exactly one version of the type 2 target in force at the row's time. */
  private static PCollection<String> inForce(
      Rule.VersionInForce rule,
      PCollection<GenericRecord> rows,
      PCollection<GenericRecord> versions) {
    String name = rule.table().tableName() + "." + rule.column() + " in force";
    String column = rule.column();
    String at = rule.at();
    String key = rule.key();
    String from = rule.from();
    String to = rule.to();
    SerializableFunction<GenericRecord, String> describe = describe(rule.table());
    PCollection<KV<Long, Side>> keyed =
        sides(
            name + " keys",
            rows,
            r -> KV.of((Long) r.get(column), Side.referring((Long) r.get(at), describe.apply(r))));
    PCollection<KV<Long, Side>> periods =
        sides(
            name + " versions",
            versions,
            r -> KV.of((Long) r.get(key), Side.referred((Long) r.get(from), (Long) r.get(to))));
    return join(name, keyed, periods)
        .apply(name + " not one version", ParDo.of(new NotOneVersionFn(column)))
        .apply(
            name + " report",
            report(
                rule.table().tableName()
                    + ": "
                    + column
                    + " without exactly one "
                    + rule.target().tableName()
                    + " version in force"));
  }

  /** A key's first row (by time, then description) without exactly one version in force. */
  static final class NotOneVersionFn extends DoFn<KV<Long, Iterable<Side>>, String> {
    private final String column;

    NotOneVersionFn(String column) {
      this.column = column;
    }

    @ProcessElement
    public void process(@Element KV<Long, Iterable<Side>> kv, OutputReceiver<String> out) {
      List<Side> periods = new ArrayList<>();
      List<Side> rows = new ArrayList<>();
      for (Side v : kv.getValue()) {
        (v.referred() ? periods : rows).add(v);
      }
      rows.sort(Comparator.comparingLong(Side::at).thenComparing(Side::row));
      for (Side r : rows) {
        long inForce = periods.stream().filter(p -> p.from() <= r.at() && r.at() < p.to()).count();
        if (inForce != 1) {
          out.output(
              column
                  + " "
                  + kv.getKey()
                  + " at "
                  + Instant.ofEpochMilli(r.at())
                  + " ("
                  + r.row()
                  + "): "
                  + inForce
                  + " versions");
          return;
        }
      }
    }
  }

  /** Keys of a type 2 table whose versions overlap or end before they start. */
  private static PCollection<String> versions(Rule.Versions rule, PCollection<GenericRecord> rows) {
    String name = rule.table().tableName() + "." + rule.key() + " versions";
    String key = rule.key();
    String from = rule.from();
    String to = rule.to();
    return sides(
            name + " periods",
            rows,
            r -> KV.of((Long) r.get(key), Side.referred((Long) r.get(from), (Long) r.get(to))))
        .apply(name + " per key", Grouping.byKey())
        .apply(name + " bad", ParDo.of(new BadVersionsFn()))
        .apply(
            name + " report",
            report(
                rule.table().tableName()
                    + ": versions of a "
                    + key
                    + " overlap or end before they start ("
                    + from
                    + ", "
                    + to
                    + ")"));
  }

  /** A key whose versions, by start, overlap or one of which ends before it starts. */
  static final class BadVersionsFn extends DoFn<KV<Long, Iterable<Side>>, String> {
    @ProcessElement
    public void process(@Element KV<Long, Iterable<Side>> kv, OutputReceiver<String> out) {
      List<Side> periods = new ArrayList<>();
      kv.getValue().forEach(periods::add);
      periods.sort(Comparator.comparingLong(Side::from).thenComparingLong(Side::to));
      for (int i = 0; i < periods.size(); i++) {
        Side p = periods.get(i);
        boolean inverted = p.from() >= p.to();
        boolean overlaps = i > 0 && p.from() < periods.get(i - 1).to();
        if (inverted || overlaps) {
          out.output(
              kv.getKey()
                  + " (["
                  + Instant.ofEpochMilli(p.from())
                  + ", "
                  + Instant.ofEpochMilli(p.to())
                  + ")"
                  + (overlaps ? " overlaps the one before" : " ends before it starts")
                  + ")");
          return;
        }
      }
    }
  }

  /** Rows whose column holds a value not accepted. */
  private static PCollection<String> accepted(
      Rule.AcceptedValues rule, PCollection<GenericRecord> rows) {
    String name = rule.table().tableName() + "." + rule.column() + " accepted";
    String column = rule.column();
    Set<String> values = new TreeSet<>(rule.values());
    SerializableFunction<GenericRecord, String> describe = describe(rule.table());
    return rows.apply(name + " values", ParDo.of(new NotAcceptedFn(column, values, describe)))
        .apply(
            name + " report",
            report(
                rule.table().tableName()
                    + ": "
                    + column
                    + " not in ("
                    + String.join(", ", rule.values())
                    + ")"));
  }

  static final class NotAcceptedFn extends DoFn<GenericRecord, String> {
    private final String column;
    private final TreeSet<String> values;
    private final SerializableFunction<GenericRecord, String> describe;

    NotAcceptedFn(
        String column, Set<String> values, SerializableFunction<GenericRecord, String> describe) {
      this.column = column;
      this.values = new TreeSet<>(values);
      this.describe = describe;
    }

    @ProcessElement
    public void process(@Element GenericRecord r, OutputReceiver<String> out) {
      String v = String.valueOf(r.get(column));
      if (!values.contains(v)) {
        out.output("'" + v + "' (" + describe.apply(r) + ")");
      }
    }
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
