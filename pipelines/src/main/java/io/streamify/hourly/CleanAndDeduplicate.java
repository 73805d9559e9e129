package io.streamify.hourly;

import io.streamify.events.EventParser;
import io.streamify.events.LakeTable;
import io.streamify.warehouse.UsStates;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * One table's lake rows, cleaned (text trimmed, eventsim's quoted user agents and mojibake
 * repaired, state codes normalised) and de-duplicated by (sessionId, itemInSession): of
 * duplicates the least record in Avro's order is kept, so the choice never depends on the order
 * in which files were read.
 */
public final class CleanAndDeduplicate
    extends PTransform<PCollection<GenericRecord>, PCollection<GenericRecord>> {
  private final LakeTable table;

  public CleanAndDeduplicate(LakeTable table) {
    this.table = table;
  }

  @Override
  public PCollection<GenericRecord> expand(PCollection<GenericRecord> rows) {
    AvroCoder<GenericRecord> coder = AvroCoder.of(table.schema());
    return rows
        .apply("Clean", ParDo.of(new CleanFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), coder))
        .apply("KeepOnePerEvent", GroupInBuckets.combining(new Least()))
        .apply("Events", Values.create())
        .setCoder(coder);
  }

  /** Cleans a record in place of a copy; keys it by its event identity. */
  static final class CleanFn extends DoFn<GenericRecord, KV<String, GenericRecord>> {
    @ProcessElement
    public void process(@Element GenericRecord in, OutputReceiver<KV<String, GenericRecord>> out) {
      GenericRecord r = new GenericData.Record((GenericData.Record) in, true);
      out.output(KV.of(r.get("sessionId") + "/" + r.get("itemInSession"), clean(r)));
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

  static final class Least extends Combine.BinaryCombineFn<GenericRecord> {
    @Override
    public GenericRecord apply(GenericRecord a, GenericRecord b) {
      return GenericData.get().compare(a, b, a.getSchema()) <= 0 ? a : b;
    }
  }
}
