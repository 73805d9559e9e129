package io.streamify.hourly;

import io.streamify.events.LakeTable;
import io.streamify.hourly.grouping.Grouping;
import io.streamify.lake.LakeLayout;
import io.streamify.lake.ReadParquetFiles;
import io.streamify.lake.TableHour;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The Parquet files of one lake table in the given hour partitions, every pane, launch and arrival
 * file: their rows ({@link #ROWS}) and how many files each hour had ({@link #FILES}, the hour of
 * the table → 1 per file, for the load manifest). An hour without files is an empty hour, not an
 * error.
 */
public final class ReadLakeHours extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<GenericRecord> ROWS = new TupleTag<>() {};
  public static final TupleTag<KV<TableHour, Long>> FILES = new TupleTag<>() {};

  private final String lake;
  private final LakeTable table;
  private final List<Long> hours;

  public ReadLakeHours(String lake, LakeTable table, List<Long> hours) {
    this.lake = lake;
    this.table = table;
    this.hours = List.copyOf(hours);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    List<String> patterns =
        hours.stream()
            .map(h -> LakeLayout.resolve(lake, LakeLayout.partitionFolder(table, h) + "/*.parquet"))
            .toList();
    String name = table.tableName();
    PCollection<MatchResult.Metadata> files =
        begin
            .apply("Patterns", Create.of(patterns).withCoder(StringUtf8Coder.of()))
            .apply("Match", ReadParquetFiles.match());
    PCollection<GenericRecord> rows =
        files
            .apply("Spread", Grouping.spread())
            .apply("Open", FileIO.readMatches())
            .apply("Read", new ReadParquetFiles(table.schema()));
    PCollection<KV<TableHour, Long>> perHour =
        files
            .apply(
                "FileHour",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptor.of(TableHour.class), TypeDescriptors.longs()))
                    .via(
                        m ->
                            KV.of(
                                TableHour.of(name, LakeLayout.hourOf(m.resourceId().toString())),
                                1L)))
            .setCoder(KvCoder.of(TableHour.TYPE.coder(), VarLongCoder.of()));
    return PCollectionTuple.of(ROWS, rows).and(FILES, perHour);
  }
}
