package io.streamify.stream;

import io.streamify.events.LakeTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/** Reads a local lake back, file by file, for assertions. */
final class LakeFiles {
  record Row(Path file, GenericRecord record) {}

  private LakeFiles() {}

  static List<Path> files(Path lake, LakeTable table) {
    Path root = lake.resolve(table.folder());
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Row> read(Path lake, LakeTable table) {
    List<Row> rows = new ArrayList<>();
    for (Path f : files(lake, table)) {
      try (ParquetReader<GenericRecord> r =
          AvroParquetReader.<GenericRecord>builder(new LocalInputFile(f)).build()) {
        GenericRecord rec;
        while ((rec = r.read()) != null) {
          rows.add(new Row(f, rec));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return rows;
  }
}
