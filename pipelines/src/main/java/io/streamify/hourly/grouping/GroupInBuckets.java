package io.streamify.hourly.grouping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * A GroupByKey for the many small keys of an hour (events, users, places) on the DirectRunner (see
 * {@link Grouping}): keys are hashed into a fixed number of buckets (8: every bucket is a bundle,
 * and bundles are what the DirectRunner pays for), each bucket is grouped, and its keys are grouped
 * again in memory. The DirectRunner gives every key of a GroupByKey its own bundle and rebuilds the
 * downstream DoFn from its serialized form for each bundle; on hundreds of thousands of keys that
 * costs minutes, on a few buckets seconds. An hour's data fits a bucket's memory easily. Elements
 * cross the GroupByKey encoded once as bytes: the DirectRunner copies a key's grouped state through
 * its coder whenever more input arrives, which for Avro records dominated the run. Keys must have
 * value equality (String, Long, a typed row).
 */
final class GroupInBuckets<K, V>
    extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, Iterable<V>>>> {
  static final int BUCKETS = 8;

  static <K, V> GroupInBuckets<K, V> create() {
    return new GroupInBuckets<>();
  }

  /** Combine.perKey with a binary function, on buckets. */
  static <K, V> PTransform<PCollection<KV<K, V>>, PCollection<KV<K, V>>> combining(
      Combine.BinaryCombineFn<V> fn) {
    return new PTransform<>() {
      @Override
      public PCollection<KV<K, V>> expand(PCollection<KV<K, V>> input) {
        return input
            .apply("Group", GroupInBuckets.create())
            .apply("Combine", ParDo.of(new CombineFn<K, V>(fn)))
            .setCoder(input.getCoder());
      }
    };
  }

  /** A key's values → the binary function applied across them. */
  static final class CombineFn<K, V> extends DoFn<KV<K, Iterable<V>>, KV<K, V>> {
    private final Combine.BinaryCombineFn<V> fn;

    CombineFn(Combine.BinaryCombineFn<V> fn) {
      this.fn = fn;
    }

    @ProcessElement
    public void process(@Element KV<K, Iterable<V>> group, OutputReceiver<KV<K, V>> out) {
      V result = null;
      for (V v : group.getValue()) {
        result = result == null ? v : fn.apply(result, v);
      }
      out.output(KV.of(group.getKey(), result));
    }
  }

  @Override
  public PCollection<KV<K, Iterable<V>>> expand(PCollection<KV<K, V>> input) {
    KvCoder<K, V> coder = (KvCoder<K, V>) input.getCoder();
    Coder<K> keyCoder = coder.getKeyCoder();
    Coder<V> valueCoder = coder.getValueCoder();
    return input
        .apply("Bucket", ParDo.of(new BucketFn<>(coder)))
        .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()))
        .apply("PerBucket", GroupByKey.create())
        .apply("PerKey", ParDo.of(new PerKeyFn<>(coder)))
        .setCoder(KvCoder.of(keyCoder, IterableCoder.of(valueCoder)));
  }

  /** An element → its key's bucket and its encoded form. */
  static final class BucketFn<K, V> extends DoFn<KV<K, V>, KV<Integer, byte[]>> {
    private final KvCoder<K, V> coder;

    BucketFn(KvCoder<K, V> coder) {
      this.coder = coder;
    }

    @ProcessElement
    public void process(@Element KV<K, V> kv, OutputReceiver<KV<Integer, byte[]>> out)
        throws CoderException {
      out.output(
          KV.of(
              Math.floorMod(kv.getKey().hashCode(), BUCKETS),
              CoderUtils.encodeToByteArray(coder, kv)));
    }
  }

  /** A bucket's elements → one group per key, in the order the keys came. */
  static final class PerKeyFn<K, V>
      extends DoFn<KV<Integer, Iterable<byte[]>>, KV<K, Iterable<V>>> {
    private final KvCoder<K, V> coder;

    PerKeyFn(KvCoder<K, V> coder) {
      this.coder = coder;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<byte[]>> bucket, OutputReceiver<KV<K, Iterable<V>>> out)
        throws CoderException {
      Map<K, List<V>> groups = new LinkedHashMap<>();
      for (byte[] bytes : bucket.getValue()) {
        KV<K, V> kv = CoderUtils.decodeFromByteArray(coder, bytes);
        groups.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue());
      }
      groups.forEach((k, values) -> out.output(KV.of(k, values)));
    }
  }
}
