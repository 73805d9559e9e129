package io.streamify.hourly.staging;

import io.streamify.hourly.grouping.Grouping;
import io.streamify.lake.TableHour;
import io.streamify.warehouse.rows.Reject;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Rows per hour of a table: the counts an hour's rows are reconciled and manifested with. */
public final class CountPerHour {
  private CountPerHour() {}

  /** Lake or raw rows of one event table (their {@code ts}) → rows per hour of the table. */
  public static PTransform<PCollection<GenericRecord>, PCollection<KV<TableHour, Long>>> ofRows(
      String table) {
    return new PTransform<>() {
      @Override
      public PCollection<KV<TableHour, Long>> expand(PCollection<GenericRecord> rows) {
        return count(
            rows.apply(
                "HourOf",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptor.of(TableHour.class), TypeDescriptors.longs()))
                    .via(r -> KV.of(TableHour.of(table, (Long) r.get("ts")), 1L))));
      }
    };
  }

  /** Rejects → rejected rows per hour of their source table. */
  public static PTransform<PCollection<Reject>, PCollection<KV<TableHour, Long>>> ofRejects() {
    return new PTransform<>() {
      @Override
      public PCollection<KV<TableHour, Long>> expand(PCollection<Reject> rejects) {
        return count(
            rejects.apply(
                "HourOf",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptor.of(TableHour.class), TypeDescriptors.longs()))
                    .via(r -> KV.of(TableHour.of(r.sourceTable(), r.ts()), 1L))));
      }
    };
  }

  private static PCollection<KV<TableHour, Long>> count(PCollection<KV<TableHour, Long>> ones) {
    return ones.setCoder(KvCoder.of(TableHour.TYPE.coder(), VarLongCoder.of()))
        .apply("Count", Grouping.sumPerKey());
  }
}
