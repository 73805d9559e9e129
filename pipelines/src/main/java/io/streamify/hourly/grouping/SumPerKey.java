package io.streamify.hourly.grouping;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Sums per key, summing within each bundle first: the DirectRunner does not lift combiners, so a
 * plain Combine.perKey over every row would group every row. For the few keys of per-hour counts.
 * Batch (global window) only. Keys must have value equality.
 */
final class SumPerKey<K> extends PTransform<PCollection<KV<K, Long>>, PCollection<KV<K, Long>>> {
  @Override
  public PCollection<KV<K, Long>> expand(PCollection<KV<K, Long>> input) {
    return input
        .apply("SumInBundle", ParDo.of(new SumInBundleFn<K>()))
        .setCoder(input.getCoder())
        .apply("SumAll", Combine.perKey(Long::sum));
  }

  /** Sums per key within a bundle; outputs the sums when the bundle ends. */
  static final class SumInBundleFn<K> extends DoFn<KV<K, Long>, KV<K, Long>> {
    private transient Map<K, Long> sums;

    @StartBundle
    public void start() {
      sums = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<K, Long> kv) {
      sums.merge(kv.getKey(), kv.getValue(), Long::sum);
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      sums.forEach(
          (k, v) ->
              c.output(KV.of(k, v), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
    }
  }
}
