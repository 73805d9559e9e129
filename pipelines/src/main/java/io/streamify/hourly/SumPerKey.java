package io.streamify.hourly;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
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
 * Batch (global window) only.
 */
public final class SumPerKey
    extends PTransform<PCollection<KV<String, Long>>, PCollection<KV<String, Long>>> {
  @Override
  public PCollection<KV<String, Long>> expand(PCollection<KV<String, Long>> input) {
    return input
        .apply(
            "SumInBundle",
            ParDo.of(
                new DoFn<KV<String, Long>, KV<String, Long>>() {
                  private transient Map<String, Long> sums;

                  @StartBundle
                  public void start() {
                    sums = new HashMap<>();
                  }

                  @ProcessElement
                  public void process(@Element KV<String, Long> kv) {
                    sums.merge(kv.getKey(), kv.getValue(), Long::sum);
                  }

                  @FinishBundle
                  public void finish(FinishBundleContext c) {
                    sums.forEach(
                        (k, v) ->
                            c.output(
                                KV.of(k, v),
                                GlobalWindow.INSTANCE.maxTimestamp(),
                                GlobalWindow.INSTANCE));
                  }
                }))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .apply("SumAll", Combine.perKey(Long::sum));
  }
}
