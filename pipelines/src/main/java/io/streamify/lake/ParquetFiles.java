package io.streamify.lake;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Writes one Snappy-compressed Parquet file through Beam's file systems (local or gs://): under a
 * temporary folder first, then moved into place, so readers never see half a file.
 */
public final class ParquetFiles {
  /** What goes into the file. */
  public interface Rows {
    void writeTo(FileIO.Sink<GenericRecord> sink) throws IOException;
  }

  private ParquetFiles() {}

  /**
   * Writes {@code rows} to {@code target}, staged as a uniquely named file in {@code
   * temporaryFolder}.
   */
  public static void write(String target, String temporaryFolder, Schema schema, Rows rows)
      throws IOException {
    ResourceId temporary =
        FileSystems.matchNewResource(
            LakeLayout.resolve(temporaryFolder, UUID.randomUUID() + ".parquet"), false);
    FileIO.Sink<GenericRecord> sink = ParquetSink.of(schema);
    try (WritableByteChannel channel = FileSystems.create(temporary, "application/octet-stream")) {
      sink.open(channel);
      rows.writeTo(sink);
      sink.flush();
    }
    FileSystems.rename(List.of(temporary), List.of(FileSystems.matchNewResource(target, false)));
  }
}
