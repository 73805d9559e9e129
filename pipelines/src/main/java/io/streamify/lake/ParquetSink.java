package io.streamify.lake;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * How the project writes Parquet: Avro records of one schema → one Snappy-compressed file per
 * {@link #open}, as {@code ParquetIO.sink(schema).withCompressionCodec(SNAPPY)} writes it (same
 * writer, codec, data model and 128 MiB row groups), except that the Hadoop configuration it hands
 * the writer loads no default resources: ParquetIO's parses Hadoop's XML defaults for every file,
 * which was 16% of a small hourly run. A sink writes one file at a time; {@link #flush} completes
 * it.
 */
public final class ParquetSink implements FileIO.Sink<GenericRecord> {
  static final int ROW_GROUP_BYTES = 128 * 1024 * 1024;

  private final String schemaJson;
  private transient Schema schema;
  private transient ParquetWriter<GenericRecord> writer;

  private ParquetSink(Schema schema) {
    this.schemaJson = schema.toString();
    this.schema = schema;
  }

  /** A sink for records of {@code schema}. */
  public static ParquetSink of(Schema schema) {
    return new ParquetSink(schema);
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    if (schema == null) {
      schema = new Schema.Parser().parse(schemaJson);
    }
    writer =
        AvroParquetWriter.<GenericRecord>builder(
                new StreamOutputFile(Channels.newOutputStream(channel)))
            .withSchema(schema)
            .withDataModel(GenericData.get())
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withConf(new Configuration(false))
            .withRowGroupSize(ROW_GROUP_BYTES)
            .build();
  }

  @Override
  public void write(GenericRecord row) throws IOException {
    writer.write(row);
  }

  /** Completes the file (its footer); the channel is the caller's to close. */
  @Override
  public void flush() throws IOException {
    writer.close();
    writer = null;
  }

  /** A Parquet output file over a stream that counts its position. */
  private static final class StreamOutputFile implements OutputFile {
    private final OutputStream out;

    StreamOutputFile(OutputStream out) {
      this.out = out;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new PositionOutputStream() {
        private long position;

        @Override
        public long getPos() {
          return position;
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
          position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
          position += len;
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void close() throws IOException {
          out.close();
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }
}
