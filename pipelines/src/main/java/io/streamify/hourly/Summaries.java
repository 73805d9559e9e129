package io.streamify.hourly;

import io.streamify.hourly.grouping.Grouping;
import io.streamify.lake.LakeLayout;
import io.streamify.lake.ParquetFiles;
import io.streamify.lake.ReadParquetFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;

/** The per-hour summaries of {@link Summary}: how they are reduced, written and read back. */
public final class Summaries {
  private Summaries() {}

  /**
   * Reduces {@code <hour>|<member>}-keyed observations to one hour's summary rows, keyed by hour
   * partition: for users the first level of the hour and every change after it; for places and
   * songs one row per member (the least in Avro's order, so any run picks the same).
   */
  public static final class PerHour
      extends PTransform<
          PCollection<KV<String, GenericRecord>>, PCollection<KV<String, GenericRecord>>> {
    private final Summary summary;

    public PerHour(Summary summary) {
      this.summary = summary;
    }

    @Override
    public PCollection<KV<String, GenericRecord>> expand(
        PCollection<KV<String, GenericRecord>> in) {
      KvCoder<String, GenericRecord> coder = ModelEvents.keyed(summary);
      PCollection<KV<String, GenericRecord>> reduced;
      if (summary == Summary.USER_LEVELS) {
        reduced =
            in.apply("PerUserHour", Grouping.byKey())
                .apply("LevelChanges", ParDo.of(new LevelChangesFn()));
      } else {
        reduced = in.apply("OnePerMember", Grouping.combining(new CleanAndDeduplicate.Least()));
      }
      return reduced
          .setCoder(coder)
          .apply(
              "ByHour",
              ParDo.of(
                  new DoFn<KV<String, GenericRecord>, KV<String, GenericRecord>>() {
                    @ProcessElement
                    public void process(
                        @Element KV<String, GenericRecord> kv,
                        OutputReceiver<KV<String, GenericRecord>> out) {
                      out.output(
                          KV.of(kv.getKey().substring(0, kv.getKey().indexOf('|')), kv.getValue()));
                    }
                  }))
          .setCoder(coder);
    }
  }

  /** A user's observations in time order (at one instant: events, then a status change). */
  static final Comparator<GenericRecord> OBSERVATION_ORDER =
      Comparator.<GenericRecord>comparingLong(r -> (Long) r.get("ts"))
          .thenComparingInt(r -> (Integer) r.get("rank"))
          .thenComparing((a, b) -> GenericData.get().compare(a, b, a.getSchema()));

  static final class LevelChangesFn
      extends DoFn<KV<String, Iterable<GenericRecord>>, KV<String, GenericRecord>> {
    @ProcessElement
    public void process(
        @Element KV<String, Iterable<GenericRecord>> group,
        OutputReceiver<KV<String, GenericRecord>> out) {
      List<GenericRecord> points = new ArrayList<>();
      group.getValue().forEach(points::add);
      points.sort(OBSERVATION_ORDER);
      String level = null;
      for (GenericRecord p : points) {
        String l = p.get("level").toString();
        if (!l.equals(level)) {
          out.output(KV.of(group.getKey(), p));
          level = l;
        }
      }
    }
  }

  /**
   * Writes each processed hour's summary as {@code curated/<summary>/<hour>/summary.parquet},
   * replacing what an earlier run wrote; an hour with no rows has no file.
   */
  public static final class Write
      extends PTransform<PCollection<KV<String, GenericRecord>>, PCollection<String>> {
    private final Summary summary;
    private final String lake;
    private final List<Long> hours;

    public Write(Summary summary, String lake, List<Long> hours) {
      this.summary = summary;
      this.lake = lake;
      this.hours = List.copyOf(hours);
    }

    @Override
    public PCollection<String> expand(PCollection<KV<String, GenericRecord>> rows) {
      TupleTag<GenericRecord> rowsTag = new TupleTag<>();
      TupleTag<String> hourTag = new TupleTag<>();
      PCollection<KV<String, String>> markers =
          rows.getPipeline()
              .apply(
                  "ProcessedHours",
                  Create.of(
                      hours.stream().map(h -> KV.of(LakeLayout.hourPartition(h), "")).toList()));
      return KeyedPCollectionTuple.of(rowsTag, rows)
          .and(hourTag, markers)
          .apply("RowsPerHour", CoGroupByKey.create())
          .apply("WriteHourFile", ParDo.of(new WriteFn(summary, lake, rowsTag)));
    }
  }

  static final class WriteFn extends DoFn<KV<String, CoGbkResult>, String> {
    private final Summary summary;
    private final String lake;
    private final TupleTag<GenericRecord> rowsTag;

    WriteFn(Summary summary, String lake, TupleTag<GenericRecord> rowsTag) {
      this.summary = summary;
      this.lake = lake;
      this.rowsTag = rowsTag;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> hour, OutputReceiver<String> out)
        throws IOException {
      String path =
          LakeLayout.resolve(lake, summary.folder() + "/" + hour.getKey() + "/summary.parquet");
      ResourceId target = FileSystems.matchNewResource(path, false);
      FileSystems.delete(List.of(target), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      Iterable<GenericRecord> rows = hour.getValue().getAll(rowsTag);
      if (!rows.iterator().hasNext()) {
        return;
      }
      ParquetFiles.write(
          path,
          LakeLayout.temporaryFolder(lake, "hourly"),
          summary.schema(),
          sink -> {
            for (GenericRecord r : rows) {
              sink.write(r);
            }
          });
      out.output(path);
    }
  }

  /** The summaries of every hour in the lake except the given ones (which this run rewrites). */
  public static final class ReadOthers extends PTransform<PBegin, PCollection<GenericRecord>> {
    private final Summary summary;
    private final String lake;
    private final List<String> excluded;

    public ReadOthers(Summary summary, String lake, List<Long> hours) {
      this.summary = summary;
      this.lake = lake;
      this.excluded = hours.stream().map(h -> "/" + LakeLayout.hourPartition(h) + "/").toList();
    }

    @Override
    public PCollection<GenericRecord> expand(PBegin begin) {
      return begin.apply(
          ReadParquetFiles.matching(
              List.of(LakeLayout.resolve(lake, summary.folder() + "/dt=*/hr=*/*.parquet")),
              summary.schema(),
              excluded));
    }
  }
}
