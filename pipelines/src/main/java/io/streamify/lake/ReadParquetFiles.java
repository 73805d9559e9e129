package io.streamify.lake;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Reads whole Parquet files as Avro records, one file per element, through Beam's file systems
 * (local or gs://). ParquetIO.readFiles reads a file as a splittable DoFn, which the DirectRunner
 * checkpoints every hundred records, each checkpoint a new bundle: on a lake hour of a few hundred
 * thousand records that costs minutes. Lake files are small (a table's two-minute window), so
 * reading each whole loses nothing on Dataflow either.
 */
public final class ReadParquetFiles
    extends PTransform<PCollection<FileIO.ReadableFile>, PCollection<GenericRecord>> {
  private final String schemaJson;

  public ReadParquetFiles(Schema schema) {
    this.schemaJson = schema.toString();
  }

  /**
   * The records of every file matching the patterns (none is fine: an empty collection), except
   * files whose path contains one of {@code skip}; {@code spread} distributes the matched files
   * over the workers before they are read (a reshuffle where the runner has workers).
   */
  public static PTransform<PBegin, PCollection<GenericRecord>> matching(
      List<String> patterns,
      Schema schema,
      List<String> skip,
      PTransform<PCollection<MatchResult.Metadata>, PCollection<MatchResult.Metadata>> spread) {
    List<String> skipped = List.copyOf(skip);
    return new PTransform<>() {
      @Override
      public PCollection<GenericRecord> expand(PBegin begin) {
        return begin
            .apply("Patterns", Create.of(patterns).withCoder(StringUtf8Coder.of()))
            .apply("Match", match())
            .apply(
                "Skip",
                Filter.by(
                    (MatchResult.Metadata m) ->
                        skipped.stream().noneMatch(x -> m.resourceId().toString().contains(x))))
            .apply("Spread", spread)
            .apply("Open", FileIO.readMatches())
            .apply("Read", new ReadParquetFiles(schema));
      }
    };
  }

  /**
   * File patterns (local or gs://) → the files they match, none being fine; unlike {@code
   * FileIO.matchAll()} without a reshuffle, which the caller chooses.
   */
  public static PTransform<PCollection<String>, PCollection<MatchResult.Metadata>> match() {
    return new PTransform<>() {
      @Override
      public PCollection<MatchResult.Metadata> expand(PCollection<String> patterns) {
        return patterns
            .apply("MatchPatterns", ParDo.of(new MatchFn()))
            .setCoder(MetadataCoderV2.of());
      }
    };
  }

  static final class MatchFn extends DoFn<String, MatchResult.Metadata> {
    @ProcessElement
    public void process(@Element String pattern, OutputReceiver<MatchResult.Metadata> out)
        throws IOException {
      for (MatchResult.Metadata m :
          FileSystems.match(pattern, EmptyMatchTreatment.ALLOW).metadata()) {
        out.output(m);
      }
    }
  }

  @Override
  public PCollection<GenericRecord> expand(PCollection<FileIO.ReadableFile> files) {
    Schema schema = new Schema.Parser().parse(schemaJson);
    return files
        .apply("ReadWholeFiles", ParDo.of(new ReadFn(schemaJson)))
        .setCoder(AvroCoder.of(schema));
  }

  static final class ReadFn extends DoFn<FileIO.ReadableFile, GenericRecord> {
    private final String schemaJson;
    private transient Schema schema;

    ReadFn(String schemaJson) {
      this.schemaJson = schemaJson;
    }

    @Setup
    public void setup() {
      schema = new Schema.Parser().parse(schemaJson);
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<GenericRecord> out)
        throws IOException {
      Configuration conf = new Configuration(false);
      AvroReadSupport.setRequestedProjection(conf, schema);
      AvroReadSupport.setAvroReadSchema(conf, schema);
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(new ChannelInputFile(file))
              .withDataModel(GenericData.get())
              .withConf(conf)
              .build()) {
        for (GenericRecord r; (r = reader.read()) != null; ) {
          out.output(withDefaults(r));
        }
      } catch (RuntimeException e) {
        throw new IOException(
            "cannot read Parquet file " + file.getMetadata().resourceId() + ": " + reason(e), e);
      }
    }
  }

  /**
   * Reads one file of the lake (local or gs://) with the given read schema (a projection: only its
   * fields are decoded; missing optional fields read as their defaults), record by record. The
   * record passed on may be reused for the next one.
   */
  public static void read(MatchResult.Metadata file, Schema schema, Consumer<GenericRecord> each)
      throws IOException {
    Configuration conf = new Configuration(false);
    AvroReadSupport.setRequestedProjection(conf, schema);
    AvroReadSupport.setAvroReadSchema(conf, schema);
    InputFile in =
        new ChannelInputFile(
            file.sizeBytes(),
            () -> (SeekableByteChannel) FileSystems.open(file.resourceId()),
            file.resourceId().toString());
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(in)
            .withDataModel(GenericData.get())
            .withConf(conf)
            .build()) {
      for (GenericRecord r; (r = reader.read()) != null; ) {
        each.accept(withDefaults(r));
      }
    } catch (RuntimeException e) {
      throw new IOException("cannot read Parquet file " + file.resourceId() + ": " + reason(e), e);
    }
  }

  /**
   * Why a file could not be read, in one line: Parquet's own message ("Can not read value at 0 in
   * block -1") and the innermost cause's, which says what is wrong (e.g. "incompatible types:
   * required binary title (STRING) != optional binary title (STRING)": a column the table requires
   * is nullable in the file).
   */
  static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String outer = String.valueOf(e.getMessage()).strip().lines().findFirst().orElse("");
    if (root == e || root.getMessage() == null) {
      return outer;
    }
    String inner = root.getMessage().strip().lines().findFirst().orElse("");
    return outer.contains(inner) ? outer : outer + " (" + inner + ")";
  }

  /**
   * Fills the fields a file lacks with the read schema's defaults: Parquet's Avro reader leaves
   * them null, also where the schema says 0 (a summary written before a count existed).
   */
  static GenericRecord withDefaults(GenericRecord r) {
    for (Schema.Field f : r.getSchema().getFields()) {
      if (r.get(f.pos()) == null
          && f.hasDefaultValue()
          && f.defaultVal() != null
          && f.defaultVal() != JsonProperties.NULL_VALUE) {
        r.put(f.pos(), GenericData.get().getDefaultValue(f));
      }
    }
    return r;
  }

  /** Opens a seekable channel on a file. */
  interface ChannelSource {
    SeekableByteChannel open() throws IOException;
  }

  /** A Beam file as Parquet's random-access input. */
  static final class ChannelInputFile implements InputFile {
    private final long length;
    private final ChannelSource source;
    private final String name;

    ChannelInputFile(FileIO.ReadableFile file) {
      this(
          file.getMetadata().sizeBytes(),
          file::openSeekable,
          file.getMetadata().resourceId().toString());
    }

    ChannelInputFile(long length, ChannelSource source, String name) {
      this.length = length;
      this.source = source;
      this.name = name;
    }

    /** The file's path: Parquet's errors name the input by it. */
    @Override
    public String toString() {
      return name;
    }

    @Override
    public long getLength() {
      return length;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      SeekableByteChannel channel = source.open();
      InputStream in = Channels.newInputStream(channel);
      return new DelegatingSeekableInputStream(in) {
        @Override
        public long getPos() throws IOException {
          return channel.position();
        }

        @Override
        public void seek(long newPos) throws IOException {
          channel.position(newPos);
        }
      };
    }
  }
}
