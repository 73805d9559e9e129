package io.streamify.hourly.summaries;

import io.streamify.hourly.grouping.Grouping;
import io.streamify.lake.LakeLayout;
import io.streamify.lake.ParquetFiles;
import io.streamify.lake.ReadParquetFiles;
import io.streamify.rows.RowType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * How the per-hour {@link Summary summaries} are reduced, written and read back: this run's hours
 * are reduced from the observations of their events and written to the lake, replacing what an
 * earlier run wrote, and every other hour's are read from it.
 */
public final class Summaries {
  private Summaries() {}

  /**
   * A user's level observations of one hour → the first level of the hour and every change after
   * it, keyed by the hour's start (epoch ms), in {@link UserLevel#TIME_ORDER}.
   */
  public static final class LevelChanges
      extends PTransform<PCollection<KV<HourMember, UserLevel>>, PCollection<KV<Long, UserLevel>>> {
    @Override
    public PCollection<KV<Long, UserLevel>> expand(PCollection<KV<HourMember, UserLevel>> in) {
      return in.apply("PerUserHour", Grouping.byKey())
          .apply("LevelChanges", ParDo.of(new LevelChangesFn()))
          .setCoder(KvCoder.of(VarLongCoder.of(), UserLevel.TYPE.coder()));
    }
  }

  static final class LevelChangesFn
      extends DoFn<KV<HourMember, Iterable<UserLevel>>, KV<Long, UserLevel>> {
    @ProcessElement
    public void process(
        @Element KV<HourMember, Iterable<UserLevel>> user,
        OutputReceiver<KV<Long, UserLevel>> out) {
      List<UserLevel> points = new ArrayList<>();
      user.getValue().forEach(points::add);
      points.sort(UserLevel.TIME_ORDER);
      String level = null;
      for (UserLevel p : points) {
        if (!p.level().equals(level)) {
          out.output(KV.of(user.getKey().hourStart(), p));
          level = p.level();
        }
      }
    }
  }

  /**
   * Observations of members (places, songs) → one row per member and hour, the least in Avro's
   * order (so any run picks the same), keyed by the hour's start (epoch ms).
   */
  public static final class OnePerMember<T extends Record>
      extends PTransform<PCollection<KV<HourMember, T>>, PCollection<KV<Long, T>>> {
    private final RowType<T> type;

    public OnePerMember(RowType<T> type) {
      this.type = type;
    }

    @Override
    public PCollection<KV<Long, T>> expand(PCollection<KV<HourMember, T>> in) {
      RowType<T> t = type;
      return in.apply("OnePerMember", Grouping.firstPerKey(type.avroOrder()))
          .apply(
              "ByHour",
              MapElements.into(
                      TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptor.of(t.type())))
                  .via(kv -> KV.of(kv.getKey().hourStart(), kv.getValue())))
          .setCoder(KvCoder.of(VarLongCoder.of(), type.coder()));
    }
  }

  /**
   * This run's summary rows (keyed by hour start) → the summary of every hour: writes this run's
   * hours as {@code curated/<summary>/<hour>/summary.parquet} (replacing an earlier run's; an hour
   * without rows has no file), reads every other hour's, and returns both.
   */
  public static final class EveryHour<T extends Record>
      extends PTransform<PCollection<KV<Long, T>>, PCollection<T>> {
    private final Summary<T> summary;
    private final String lake;
    private final List<Long> hours;

    /**
     * @param hours the hours this run processes (epoch ms): written, never read
     */
    public EveryHour(Summary<T> summary, String lake, List<Long> hours) {
      this.summary = summary;
      this.lake = lake;
      this.hours = List.copyOf(hours);
    }

    @Override
    public PCollection<T> expand(PCollection<KV<Long, T>> perHour) {
      perHour.apply("Write", new Write<>(summary, lake, hours));
      PCollection<T> these =
          perHour.apply("These hours", Values.create()).setCoder(summary.rowType().coder());
      PCollection<T> others =
          perHour.getPipeline().apply("Other hours", new ReadOthers<>(summary, lake, hours));
      return PCollectionList.of(these).and(others).apply("Every hour", Flatten.pCollections());
    }
  }

  /**
   * Writes each processed hour's summary as {@code curated/<summary>/<hour>/summary.parquet},
   * replacing what an earlier run wrote; an hour with no rows has no file. Outputs the paths
   * written.
   */
  public static final class Write<T extends Record>
      extends PTransform<PCollection<KV<Long, T>>, PCollection<String>> {
    private final Summary<T> summary;
    private final String lake;
    private final List<Long> hours;

    public Write(Summary<T> summary, String lake, List<Long> hours) {
      this.summary = summary;
      this.lake = lake;
      this.hours = List.copyOf(hours);
    }

    @Override
    public PCollection<String> expand(PCollection<KV<Long, T>> rows) {
      TupleTag<T> rowsTag = new TupleTag<>();
      TupleTag<String> hourTag = new TupleTag<>();
      PCollection<KV<Long, String>> markers =
          rows.getPipeline()
              .apply(
                  "ProcessedHours",
                  Create.of(hours.stream().map(h -> KV.of(h, "")).toList())
                      .withCoder(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of())));
      return KeyedPCollectionTuple.of(rowsTag, rows)
          .and(hourTag, markers)
          .apply("RowsPerHour", CoGroupByKey.create())
          .apply("WriteHourFile", ParDo.of(new WriteFn<>(summary, lake, rowsTag)));
    }
  }

  static final class WriteFn<T extends Record> extends DoFn<KV<Long, CoGbkResult>, String> {
    private final Summary<T> summary;
    private final String lake;
    private final TupleTag<T> rowsTag;

    WriteFn(Summary<T> summary, String lake, TupleTag<T> rowsTag) {
      this.summary = summary;
      this.lake = lake;
      this.rowsTag = rowsTag;
    }

    @ProcessElement
    public void process(@Element KV<Long, CoGbkResult> hour, OutputReceiver<String> out)
        throws IOException {
      String path =
          LakeLayout.resolve(
              lake,
              summary.folder()
                  + "/"
                  + LakeLayout.hourPartition(hour.getKey())
                  + "/summary.parquet");
      ResourceId target = FileSystems.matchNewResource(path, false);
      FileSystems.delete(List.of(target), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      Iterable<T> rows = hour.getValue().getAll(rowsTag);
      if (!rows.iterator().hasNext()) {
        return;
      }
      RowType<T> type = summary.rowType();
      ParquetFiles.write(
          path,
          LakeLayout.temporaryFolder(lake, "hourly"),
          type.schema(),
          sink -> {
            for (T r : rows) {
              sink.write(type.toAvro(r));
            }
          });
      out.output(path);
    }
  }

  /** The summaries of every hour in the lake except the given ones (which this run rewrites). */
  public static final class ReadOthers<T extends Record>
      extends PTransform<PBegin, PCollection<T>> {
    private final Summary<T> summary;
    private final String lake;
    private final List<String> excluded;

    public ReadOthers(Summary<T> summary, String lake, List<Long> hours) {
      this.summary = summary;
      this.lake = lake;
      this.excluded = hours.stream().map(h -> "/" + LakeLayout.hourPartition(h) + "/").toList();
    }

    @Override
    public PCollection<T> expand(PBegin begin) {
      RowType<T> type = summary.rowType();
      return begin
          .apply(
              "Read",
              ReadParquetFiles.matching(
                  List.of(LakeLayout.resolve(lake, summary.folder() + "/dt=*/hr=*/*.parquet")),
                  type.schema(),
                  excluded,
                  Grouping.spread()))
          .apply("Typed", MapElements.into(TypeDescriptor.of(type.type())).via(type::fromAvro))
          .setCoder(type.coder());
    }
  }
}
