package io.streamify.hourly.dimensions;

import io.streamify.hourly.grouping.Grouping;
import io.streamify.rows.RowType;
import java.io.Serializable;
import java.util.Comparator;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/** What the dimensions share: one row per member, and the unknown member under key 0. */
final class Members {
  private Members() {}

  /**
   * Rows → one row per key: the first in {@code preference}; so duplicates never multiply a member
   * and every run, in any order, picks the same row.
   */
  static <T extends Record> PTransform<PCollection<T>, PCollection<T>> onePerKey(
      RowType<T> type, SerializableFunction<T, Long> key, Comparator<T> preference) {
    return new PTransform<>() {
      @Override
      public PCollection<T> expand(PCollection<T> rows) {
        return rows.apply(
                "Key",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.longs(), TypeDescriptor.of(type.type())))
                    .via(r -> KV.of(key.apply(r), r)))
            .setCoder(KvCoder.of(VarLongCoder.of(), type.coder()))
            .apply("OnePerKey", Grouping.firstPerKey(preference))
            .apply("Rows", Values.create())
            .setCoder(type.coder());
      }
    };
  }

  /**
   * A catalog row over one from events, then the least in Avro's order. {@code inCatalog} must be
   * serializable.
   */
  static <T extends Record> Comparator<T> catalogFirst(
      RowType<T> type, SerializableFunction<T, Boolean> inCatalog) {
    Comparator<T> c =
        (Comparator<T> & Serializable)
            (a, b) -> Boolean.compare(inCatalog.apply(b), inCatalog.apply(a));
    return c.thenComparing(type.avroOrder());
  }

  /** The rows and the dimension's unknown member. */
  static <T extends Record> PCollection<T> withUnknown(
      PCollection<T> rows, RowType<T> type, T unknown) {
    PCollection<T> u =
        rows.getPipeline().apply("Unknown member", Create.of(unknown).withCoder(type.coder()));
    return PCollectionList.of(rows).and(u).apply("With unknown member", Flatten.pCollections());
  }
}
