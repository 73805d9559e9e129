package io.streamify.rows;

import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Typed rows → their Avro records ({@link RowType#toAvro}), for the sinks that write Avro. */
public final class AsAvro<T extends Record>
    extends PTransform<PCollection<T>, PCollection<GenericRecord>> {
  private final RowType<T> type;

  private AsAvro(RowType<T> type) {
    this.type = type;
  }

  public static <T extends Record> AsAvro<T> of(RowType<T> type) {
    return new AsAvro<>(type);
  }

  @Override
  public PCollection<GenericRecord> expand(PCollection<T> rows) {
    return rows.apply(
            "ToAvro", MapElements.into(TypeDescriptor.of(GenericRecord.class)).via(type::toAvro))
        .setCoder(AvroCoder.of(type.schema()));
  }
}
