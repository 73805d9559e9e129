package io.streamify.hourly.grouping;

import java.util.Comparator;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The hourly pipeline's groupings by key, chosen here and nowhere else by the runner the pipeline
 * runs on. On the DirectRunner, whose cost is per bundle and which gives every key of a GroupByKey
 * its own bundle and lifts no combiner, keys are gathered into a few in-memory buckets ({@link
 * GroupInBuckets}) and sums are taken per bundle first ({@link SumPerKey}). On every other runner
 * (Dataflow, Flink, …) Beam's own {@link GroupByKey}, {@link Combine#perKey} and {@link
 * Sum#longsPerKey} run, which spread as many keys as the data has over the workers and lift
 * combiners. Either way the result is the same: one output per key. {@link #spread} likewise: a
 * reshuffle on every runner but the DirectRunner.
 *
 * <p>Keys are compared by their encoding on every runner, so their coder must be deterministic
 * (Long, String, a typed row).
 */
public final class Grouping {
  private Grouping() {}

  /** Whether groupings of {@code options}' pipeline run in buckets: on the DirectRunner only. */
  public static boolean inBuckets(PipelineOptions options) {
    return options.getRunner().getSimpleName().equals("DirectRunner");
  }

  /** A GroupByKey: KV&lt;K, V&gt; → KV&lt;K, Iterable&lt;V&gt;&gt;, one per key. */
  public static <K, V> PTransform<PCollection<KV<K, V>>, PCollection<KV<K, Iterable<V>>>> byKey() {
    return new PTransform<>() {
      @Override
      public PCollection<KV<K, Iterable<V>>> expand(PCollection<KV<K, V>> input) {
        return inBuckets(input.getPipeline().getOptions())
            ? input.apply("InBuckets", GroupInBuckets.create())
            : input.apply("GroupByKey", GroupByKey.create());
      }
    };
  }

  /**
   * A Combine.perKey with an associative, commutative binary function: KV&lt;K, V&gt; → KV&lt;K,
   * V&gt;, one per key, the output coder the input's.
   */
  public static <K, V> PTransform<PCollection<KV<K, V>>, PCollection<KV<K, V>>> combining(
      Combine.BinaryCombineFn<V> fn) {
    return new PTransform<>() {
      @Override
      public PCollection<KV<K, V>> expand(PCollection<KV<K, V>> input) {
        return inBuckets(input.getPipeline().getOptions())
            ? input.apply("InBuckets", GroupInBuckets.combining(fn))
            : input.apply("CombinePerKey", Combine.<K, V, V>perKey(fn)).setCoder(input.getCoder());
      }
    };
  }

  /**
   * One value per key: the first in {@code order}, which must be total and serializable, so that
   * the choice never depends on the order values come in. KV&lt;K, V&gt; → KV&lt;K, V&gt;.
   */
  public static <K, V> PTransform<PCollection<KV<K, V>>, PCollection<KV<K, V>>> firstPerKey(
      Comparator<V> order) {
    return combining(new First<>(order));
  }

  /** Of two values, the first in an order. */
  static final class First<V> extends Combine.BinaryCombineFn<V> {
    private final Comparator<V> order;

    First(Comparator<V> order) {
      this.order = order;
    }

    @Override
    public V apply(V a, V b) {
      return order.compare(a, b) <= 0 ? a : b;
    }
  }

  /**
   * Spreads elements over the workers, for work that is expensive per element (a file to read): a
   * reshuffle to random keys where the runner has workers to spread over; on the DirectRunner,
   * where that reshuffle only gives every element a bundle of its own, the identity.
   */
  public static <T> PTransform<PCollection<T>, PCollection<T>> spread() {
    return new PTransform<>() {
      @Override
      public PCollection<T> expand(PCollection<T> input) {
        return inBuckets(input.getPipeline().getOptions())
            ? input.apply("AsIs", ParDo.of(new AsIsFn<T>())).setCoder(input.getCoder())
            : input.apply("Reshuffle", Reshuffle.viaRandomKey());
      }
    };
  }

  /** Passes every element on. */
  static final class AsIsFn<T> extends DoFn<T, T> {
    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) {
      out.output(element);
    }
  }

  /**
   * Sums per key: KV&lt;K, Long&gt; → KV&lt;K, Long&gt;, one per key. Batch only. For few keys
   * (hours, tables): on the DirectRunner the sums of each bundle are grouped per key; for a key per
   * row use {@link #combining}.
   */
  public static <K> PTransform<PCollection<KV<K, Long>>, PCollection<KV<K, Long>>> sumPerKey() {
    return new PTransform<>() {
      @Override
      public PCollection<KV<K, Long>> expand(PCollection<KV<K, Long>> input) {
        return inBuckets(input.getPipeline().getOptions())
            ? input.apply("PerBundleFirst", new SumPerKey<K>())
            : input.apply("SumPerKey", Sum.<K>longsPerKey()).setCoder(input.getCoder());
      }
    };
  }
}
