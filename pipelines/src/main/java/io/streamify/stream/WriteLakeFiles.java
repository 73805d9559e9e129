package io.streamify.stream;

import io.streamify.events.AvroBytes;
import io.streamify.events.LakeTable;
import io.streamify.lake.LakeKey;
import io.streamify.lake.LakeLayout;
import io.streamify.lake.ParquetFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Writes each (lake key, window, pane) group of Avro blocks as one Snappy-compressed Parquet file
 * in its hour partition, named after window, pane, launch and shard (see {@link LakeLayout}; an
 * arrival key's file is an arrival file: its window is the arrival window). A file is written under
 * {@code _temporary/} and then moved into place, so readers never see half a file and a retried
 * bundle rewrites the same name with the same content. Outputs (path, records) per file ({@link
 * #FILES}) and, once the file is in place, the Kafka offsets it holds ({@link #OFFSETS}), which
 * {@link CommitWrittenOffsets} commits.
 *
 * <p>Counters (namespace {@value ParseKafkaRecords#METRICS}): {@code <table>_written}, {@code
 * <table>_late} (records in late panes), {@code <table>_arrival_written} (records in arrival
 * files), {@code files_written}.
 */
public final class WriteLakeFiles
    extends PTransform<PCollection<KV<String, byte[]>>, PCollectionTuple> {
  /** Each file written: its path and how many records it holds. */
  public static final TupleTag<KV<String, Long>> FILES = new TupleTag<>() {};

  /**
   * The Kafka offsets each file holds, per partition: {@code topic|partition} → ranges as [start,
   * end) pairs, flat (see {@link CommitWrittenOffsets}).
   */
  public static final TupleTag<KV<String, List<Long>>> OFFSETS = new TupleTag<>() {};

  private final String lake;
  private final String deadLetterRoot;
  private final String launch;
  private final int shards;
  private final String topicPrefix;

  /**
   * @param lake the lake root, a local folder or gs://bucket/prefix
   * @param deadLetterRoot where dead letters go instead of {@code <lake>/deadletter}, or ""
   * @param launch an id unique to this launch of the job, part of every file name
   * @param topicPrefix the prefix of the event topics (an event table's topic is the prefix and its
   *     name)
   */
  public WriteLakeFiles(
      String lake, String deadLetterRoot, String launch, int shards, String topicPrefix) {
    this.lake = lake;
    this.deadLetterRoot = deadLetterRoot;
    this.launch = launch;
    this.shards = shards;
    this.topicPrefix = topicPrefix;
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<String, byte[]>> windowed) {
    PCollectionTuple out =
        windowed
            .apply("GroupPerFile", GroupByKey.create())
            .apply(
                "WriteParquet",
                ParDo.of(new WriteFn(lake, deadLetterRoot, launch, shards, topicPrefix))
                    .withOutputTags(FILES, TupleTagList.of(OFFSETS)));
    out.get(OFFSETS).setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(VarLongCoder.of())));
    return out;
  }

  static final class WriteFn extends DoFn<KV<String, Iterable<byte[]>>, KV<String, Long>> {
    private final String lake;
    private final String deadLetterRoot;
    private final String launch;
    private final int shards;
    private final String topicPrefix;
    private transient AvroBytes avro;
    private transient StreamCounters counters;

    WriteFn(String lake, String deadLetterRoot, String launch, int shards, String topicPrefix) {
      this.lake = lake;
      this.deadLetterRoot = deadLetterRoot;
      this.launch = launch;
      this.shards = shards;
      this.topicPrefix = topicPrefix;
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
    public void process(
        @Element KV<String, Iterable<byte[]>> group,
        IntervalWindow window,
        PaneInfo pane,
        MultiOutputReceiver out)
        throws IOException {
      LakeKey key = LakeKey.decode(group.getKey());
      LakeTable table = key.table();
      long start = window.start().getMillis();
      long end = window.end().getMillis();
      String name =
          key.arrival()
              ? LakeLayout.arrivalFileName(start, end, pane.getIndex(), launch, key.shard(), shards)
              : LakeLayout.fileName(start, end, pane.getIndex(), launch, key.shard(), shards);
      String folder =
          table == LakeTable.DEADLETTER && !deadLetterRoot.isEmpty()
              ? LakeLayout.resolve(deadLetterRoot, key.partition())
              : LakeLayout.resolve(lake, table.folder() + "/" + key.partition());
      String path = LakeLayout.resolve(folder, name);
      long[] records = {0};
      Map<String, List<Long>> offsets = new TreeMap<>();
      String eventTopic = topicPrefix + table.tableName();
      ParquetFiles.write(
          path,
          LakeLayout.temporaryFolder(lake, launch),
          table.schema(),
          sink -> {
            for (byte[] block : group.getValue()) {
              avro.forEach(
                  table,
                  block,
                  record -> {
                    try {
                      sink.write(record);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                    records[0]++;
                    Object partition =
                        record.get(table.isEvent() ? LakeTable.KAFKA_PARTITION : "partition");
                    Object offset = record.get(table.isEvent() ? LakeTable.KAFKA_OFFSET : "offset");
                    if (partition != null && offset != null) { // (rows made without Kafka: tests)
                      String topic = table.isEvent() ? eventTopic : record.get("topic").toString();
                      offsets
                          .computeIfAbsent(topic + "|" + partition, p -> new ArrayList<>())
                          .add((Long) offset);
                    }
                  });
            }
          });
      // Only now, the file in place, may the job tell Kafka these records are done with.
      offsets.forEach(
          (partition, list) ->
              out.get(OFFSETS).output(KV.of(partition, CommitWrittenOffsets.ranges(list))));
      count(table.tableName() + "_written", records[0]);
      if (key.arrival()) {
        count(table.tableName() + "_arrival_written", records[0]);
      }
      if (pane.getTiming() == PaneInfo.Timing.LATE) {
        count(table.tableName() + "_late", records[0]);
      }
      count("files_written", 1);
      out.get(FILES).output(KV.of(path, records[0]));
    }
  }
}
