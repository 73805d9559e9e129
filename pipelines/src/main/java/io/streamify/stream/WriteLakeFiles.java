package io.streamify.stream;

import io.streamify.events.AvroBytes;
import io.streamify.events.LakeTable;
import io.streamify.lake.LakeKey;
import io.streamify.lake.LakeLayout;
import io.streamify.lake.ParquetFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes each (lake key, window, pane) group of Avro blocks as one Snappy-compressed Parquet file
 * in its hour partition, named after window, pane, launch and shard (see {@link LakeLayout}; an
 * arrival key's file is an arrival file: its window is the arrival window). A file is written
 * under {@code _temporary/} and then moved into place, so readers never see half a file and a
 * retried bundle rewrites the same name with the same content. Outputs (path, records) per file.
 *
 * <p>Counters (namespace {@value ParseKafkaRecords#METRICS}): {@code <table>_written},
 * {@code <table>_late} (records in late panes), {@code <table>_arrival_written} (records in arrival
 * files), {@code files_written}.
 */
public final class WriteLakeFiles
    extends PTransform<PCollection<KV<String, byte[]>>, PCollection<KV<String, Long>>> {
  private final String lake;
  private final String deadLetterRoot;
  private final String launch;
  private final int shards;

  /**
   * @param lake the lake root, a local folder or gs://bucket/prefix
   * @param deadLetterRoot where dead letters go instead of {@code <lake>/deadletter}, or ""
   * @param launch an id unique to this launch of the job, part of every file name
   */
  public WriteLakeFiles(String lake, String deadLetterRoot, String launch, int shards) {
    this.lake = lake;
    this.deadLetterRoot = deadLetterRoot;
    this.launch = launch;
    this.shards = shards;
  }

  @Override
  public PCollection<KV<String, Long>> expand(PCollection<KV<String, byte[]>> windowed) {
    return windowed
        .apply("GroupPerFile", GroupByKey.create())
        .apply("WriteParquet", ParDo.of(new WriteFn(lake, deadLetterRoot, launch, shards)));
  }

  static final class WriteFn extends DoFn<KV<String, Iterable<byte[]>>, KV<String, Long>> {
    private final String lake;
    private final String deadLetterRoot;
    private final String launch;
    private final int shards;
    private transient AvroBytes avro;
    private transient StreamCounters counters;

    WriteFn(String lake, String deadLetterRoot, String launch, int shards) {
      this.lake = lake;
      this.deadLetterRoot = deadLetterRoot;
      this.launch = launch;
      this.shards = shards;
    }

    @Setup
    public void setup() {
      avro = new AvroBytes();
      counters = new StreamCounters();
    }

    private void count(String name, long n) {
      counters.inc(name, n);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<byte[]>> group, IntervalWindow window,
        PaneInfo pane, OutputReceiver<KV<String, Long>> out) throws IOException {
      LakeKey key = LakeKey.decode(group.getKey());
      LakeTable table = key.table();
      long start = window.start().getMillis();
      long end = window.end().getMillis();
      String name = key.arrival()
          ? LakeLayout.arrivalFileName(start, end, pane.getIndex(), launch, key.shard(), shards)
          : LakeLayout.fileName(start, end, pane.getIndex(), launch, key.shard(), shards);
      String folder = table == LakeTable.DEADLETTER && !deadLetterRoot.isEmpty()
          ? LakeLayout.resolve(deadLetterRoot, key.partition())
          : LakeLayout.resolve(lake, table.folder() + "/" + key.partition());
      String path = LakeLayout.resolve(folder, name);
      long[] records = {0};
      ParquetFiles.write(path, LakeLayout.temporaryFolder(lake, launch), table.schema(), sink -> {
        for (byte[] block : group.getValue()) {
          avro.forEach(table, block, record -> {
            try {
              sink.write(record);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            records[0]++;
          });
        }
      });
      count(table.tableName() + "_written", records[0]);
      if (key.arrival()) {
        count(table.tableName() + "_arrival_written", records[0]);
      }
      if (pane.getTiming() == PaneInfo.Timing.LATE) {
        count(table.tableName() + "_late", records[0]);
      }
      count("files_written", 1);
      out.output(KV.of(path, records[0]));
    }
  }
}
