package io.streamify.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Avro binary encoding of lake records, so that records of every table travel through one
 * PCollection as plain bytes (a cheap coder) and become typed again where they are written.
 * Not thread-safe; one per thread.
 */
public final class AvroBytes {
  private final Map<LakeTable, GenericDatumWriter<GenericRecord>> writers =
      new EnumMap<>(LakeTable.class);
  private final Map<LakeTable, GenericDatumReader<GenericRecord>> readers =
      new EnumMap<>(LakeTable.class);
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
  private BinaryEncoder encoder;
  private BinaryDecoder decoder;

  public byte[] encode(LakeTable table, GenericRecord record) {
    buffer.reset();
    encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
    try {
      writers.computeIfAbsent(table, t -> new GenericDatumWriter<>(t.schema()))
          .write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  public GenericRecord decode(LakeTable table, byte[] bytes, GenericRecord reuse) {
    decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
    try {
      return readers.computeIfAbsent(table, t -> new GenericDatumReader<>(t.schema()))
          .read(reuse, decoder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
