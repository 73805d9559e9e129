package io.streamify.lake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.streamify.events.LakeTable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The project's Parquet writer writes what ParquetIO's sink writes: same schema, codec, rows. */
class ParquetSinkTest {
  @TempDir Path dir;

  static List<GenericRecord> rows(Schema schema) {
    List<GenericRecord> rows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      GenericRecord r = new GenericData.Record(schema);
      for (Schema.Field f : schema.getFields()) {
        r.put(f.name(), value(f.schema(), i));
      }
      rows.add(r);
    }
    return rows;
  }

  /** A value of every type the lake uses; null for a nullable one on odd rows. */
  static Object value(Schema s, int i) {
    switch (s.getType()) {
      case UNION:
        Schema type =
            s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().get();
        return i % 2 == 1 ? null : value(type, i);
      case STRING:
        return "v" + i + " é";
      case LONG:
        return 1_795_618_800_000L + i;
      case INT:
        return i;
      case DOUBLE:
        return i + 0.5;
      case BOOLEAN:
        return i % 2 == 0;
      case BYTES:
        return java.nio.ByteBuffer.wrap(new byte[] {(byte) i});
      default:
        throw new IllegalArgumentException(s.toString());
    }
  }

  static void write(FileIO.Sink<GenericRecord> sink, Path file, List<GenericRecord> rows)
      throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      sink.open(ch);
      for (GenericRecord r : rows) {
        sink.write(r);
      }
      sink.flush();
    }
  }

  static ParquetMetadata footer(Path file) throws IOException {
    try (ParquetFileReader r =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()),
                new org.apache.hadoop.conf.Configuration()))) {
      return r.getFooter();
    }
  }

  static List<String> read(Path file, Schema schema) throws IOException {
    List<String> out = new ArrayList<>();
    ReadParquetFiles.read(
        FileSystems.matchSingleFileSpec(file.toString()), schema, r -> out.add(r.toString()));
    return out;
  }

  @Test
  void writesWhatParquetIoWrites() throws IOException {
    Schema schema = LakeTable.PAGE_VIEW_EVENTS.schema();
    List<GenericRecord> rows = rows(schema);
    Path ours = dir.resolve("ours.parquet");
    Path beams = dir.resolve("beams.parquet");
    write(ParquetSink.of(schema), ours, rows);
    write(ParquetIO.sink(schema).withCompressionCodec(CompressionCodecName.SNAPPY), beams, rows);

    assertThat(read(ours, schema), equalTo(read(beams, schema)));
    assertThat(read(ours, schema).size(), equalTo(3));
    ParquetMetadata a = footer(ours);
    ParquetMetadata b = footer(beams);
    assertThat(a.getFileMetaData().getSchema(), equalTo(b.getFileMetaData().getSchema()));
    assertThat(
        a.getFileMetaData().getKeyValueMetaData(),
        equalTo(b.getFileMetaData().getKeyValueMetaData()));
    Set<CompressionCodecName> codecs =
        a.getBlocks().stream()
            .flatMap(block -> block.getColumns().stream())
            .map(ColumnChunkMetaData::getCodec)
            .collect(Collectors.toSet());
    assertThat(codecs, equalTo(Set.of(CompressionCodecName.SNAPPY)));
  }
}
