package io.streamify.hourly.dimensions;

import io.streamify.hourly.summaries.HourCount;
import io.streamify.lake.Hours;
import io.streamify.warehouse.rows.DimDatetime;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.Locale;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * dim_datetime: the hour counts of every processed hour ({@link
 * io.streamify.hourly.summaries.Summary#HOUR_COUNTS}) → every hour, UTC, of every day from the
 * first processed hour's day to the last's; none without a processed hour. English month and day
 * names, ISO weeks and days of the week; Saturday and Sunday are the weekend.
 */
public final class DimDatetimes
    extends PTransform<PCollection<HourCount>, PCollection<DimDatetime>> {
  private static final long DAY = 86_400_000L;

  @Override
  public PCollection<DimDatetime> expand(PCollection<HourCount> hourCounts) {
    return hourCounts
        .apply("HourStarts", MapElements.into(TypeDescriptors.longs()).via(HourCount::hourStart))
        .apply("FirstAndLast", Combine.globally(new MinMax()).withoutDefaults())
        .apply("EveryHour", ParDo.of(new EveryHourFn()))
        .setCoder(DimDatetime.TYPE.coder());
  }

  static final class EveryHourFn extends DoFn<KV<Long, Long>, DimDatetime> {
    @ProcessElement
    public void process(@Element KV<Long, Long> range, OutputReceiver<DimDatetime> out) {
      long first = Math.floorDiv(range.getKey(), DAY) * DAY;
      long last = Math.floorDiv(range.getValue(), DAY) * DAY + DAY;
      for (long h = first; h < last; h += Hours.MILLIS) {
        out.output(row(h));
      }
    }
  }

  /** The row of the hour starting at {@code hourStart} (epoch ms UTC). */
  public static DimDatetime row(long hourStart) {
    LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(hourStart), ZoneOffset.UTC);
    DayOfWeek dow = t.getDayOfWeek();
    return new DimDatetime(
        Hours.datetimeKey(hourStart),
        hourStart,
        (int) t.toLocalDate().toEpochDay(),
        t.getYear(),
        (t.getMonthValue() - 1) / 3 + 1,
        t.getMonthValue(),
        t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH),
        t.getDayOfMonth(),
        t.getHour(),
        dow.getValue(),
        dow.getDisplayName(TextStyle.FULL, Locale.ENGLISH),
        t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR),
        dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY);
  }

  /** The least and greatest value, as (min, max). */
  static final class MinMax extends Combine.CombineFn<Long, long[], KV<Long, Long>> {
    @Override
    public long[] createAccumulator() {
      return new long[] {Long.MAX_VALUE, Long.MIN_VALUE};
    }

    @Override
    public long[] addInput(long[] acc, Long v) {
      acc[0] = Math.min(acc[0], v);
      acc[1] = Math.max(acc[1], v);
      return acc;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accs) {
      long[] m = createAccumulator();
      for (long[] a : accs) {
        m[0] = Math.min(m[0], a[0]);
        m[1] = Math.max(m[1], a[1]);
      }
      return m;
    }

    @Override
    public KV<Long, Long> extractOutput(long[] acc) {
      return KV.of(acc[0], acc[1]);
    }
  }
}
