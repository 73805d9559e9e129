package io.streamify.hourly;

import io.streamify.events.LakeTable;
import io.streamify.lake.LakeLayout;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import io.streamify.lake.ReadParquetFiles;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The Parquet files of one lake table in the given hour partitions, every pane and launch. An
 * hour without files is an empty hour, not an error.
 */
public final class ReadLakeHours extends PTransform<PBegin, PCollection<GenericRecord>> {
  private final String lake;
  private final LakeTable table;
  private final List<Long> hours;

  public ReadLakeHours(String lake, LakeTable table, List<Long> hours) {
    this.lake = lake;
    this.table = table;
    this.hours = List.copyOf(hours);
  }

  @Override
  public PCollection<GenericRecord> expand(PBegin begin) {
    List<String> patterns = hours.stream()
        .map(h -> LakeLayout.resolve(lake, LakeLayout.partitionFolder(table, h) + "/*.parquet"))
        .toList();
    return begin.apply(ReadParquetFiles.matching(patterns, table.schema(), List.of()));
  }
}
