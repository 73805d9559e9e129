package io.streamify.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
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
 *
 * <p>A <em>block</em> is several records of one table encoded back to back (Avro's binary encoding
 * delimits itself); a single record's encoding is a block of one. The stream pipeline moves blocks,
 * not records, so its per-element costs are paid per batch. Not thread-safe; one per thread.
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
    append(table, record, buffer);
    return buffer.toByteArray();
  }

  /** Appends a record's encoding to a block being built. */
  public void append(LakeTable table, GenericRecord record, ByteArrayOutputStream block) {
    encoder = EncoderFactory.get().directBinaryEncoder(block, encoder);
    try {
      writers
          .computeIfAbsent(table, t -> new GenericDatumWriter<>(t.schema()))
          .write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Decodes every record of a block in turn. The record passed to the consumer is reused for the
   * next one: copy what must outlive the call.
   */
  public void forEach(LakeTable table, byte[] block, Consumer<GenericRecord> consumer) {
    decoder = DecoderFactory.get().binaryDecoder(block, decoder);
    GenericDatumReader<GenericRecord> reader =
        readers.computeIfAbsent(table, t -> new GenericDatumReader<>(t.schema()));
    GenericRecord reuse = null;
    try {
      while (!decoder.isEnd()) {
        reuse = reader.read(reuse, decoder);
        consumer.accept(reuse);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes a block of one record. */
  public GenericRecord decode(LakeTable table, byte[] bytes, GenericRecord reuse) {
    decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
    try {
      return readers
          .computeIfAbsent(table, t -> new GenericDatumReader<>(t.schema()))
          .read(reuse, decoder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
