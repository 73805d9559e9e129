package io.streamify.lake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;

import io.streamify.events.LakeTable;
import io.streamify.hourly.summaries.Summary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lake written before rows carried their Kafka coordinates, and hour-count summaries written
 * before they counted duplicates and rejects, still read with today's schemas: the new fields read
 * as their defaults (null, 0).
 */
class OlderLakeFilesTest {
  static MatchResult.Metadata file(String path) throws Exception {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    return FileSystems.match(path).metadata().get(0);
  }

  @Test
  void olderEventRowsReadWithNullCoordinates(@TempDir Path dir) throws Exception {
    Schema current = LakeTable.AUTH_EVENTS.schema();
    SchemaBuilder.FieldAssembler<Schema> old =
        SchemaBuilder.record(current.getName()).namespace(current.getNamespace()).fields();
    for (Schema.Field f : current.getFields()) {
      if (!LakeTable.isLedgerField(f.name())) {
        old = old.name(f.name()).type(f.schema()).noDefault();
      }
    }
    Schema before = old.endRecord();
    GenericRecord r = new GenericData.Record(before);
    for (Schema.Field f : before.getFields()) {
      Schema s = f.schema().isUnion() ? f.schema().getTypes().get(1) : f.schema();
      r.put(
          f.name(),
          switch (s.getType()) {
            case LONG -> 1_795_438_800_000L;
            case INT -> 3;
            case DOUBLE -> 1.5;
            case BOOLEAN -> true;
            default -> "x";
          });
    }
    String path = dir.resolve("old.parquet").toString();
    ParquetFiles.write(path, dir.resolve("tmp").toString(), before, sink -> sink.write(r));
    List<String> got = new ArrayList<>();
    ReadParquetFiles.read(
        file(path),
        current,
        rec ->
            got.add(
                rec.get("itemInSession")
                    + " "
                    + rec.get(LakeTable.KAFKA_PARTITION)
                    + " "
                    + rec.get(LakeTable.KAFKA_OFFSET)));
    assertThat(got, contains("3 null null"));
  }

  @Test
  void olderHourCountsReadWithZeroDuplicatesAndRejects(@TempDir Path dir) throws Exception {
    Schema before =
        SchemaBuilder.record("HourCount")
            .namespace("io.streamify.hourly.avro")
            .fields()
            .name("hour_start")
            .type(Summary.HOUR_COUNTS.schema().getField("hour_start").schema())
            .noDefault()
            .name("table_name")
            .type()
            .stringType()
            .noDefault()
            .name("lake_rows")
            .type()
            .longType()
            .noDefault()
            .name("distinct_rows")
            .type()
            .longType()
            .noDefault()
            .endRecord();
    GenericRecord r = new GenericData.Record(before);
    r.put("hour_start", 1_795_438_800_000L);
    r.put("table_name", "listen_events");
    r.put("lake_rows", 7L);
    r.put("distinct_rows", 6L);
    String path = dir.resolve("summary.parquet").toString();
    ParquetFiles.write(path, dir.resolve("tmp").toString(), before, sink -> sink.write(r));
    List<String> got = new ArrayList<>();
    ReadParquetFiles.read(
        file(path),
        Summary.HOUR_COUNTS.schema(),
        rec ->
            got.add(
                rec.get("lake_rows")
                    + " "
                    + rec.get("distinct_rows")
                    + " "
                    + rec.get("duplicate_rows")
                    + " "
                    + rec.get("rejected_rows")));
    assertThat(got, contains("7 6 0 0"));
  }
}
