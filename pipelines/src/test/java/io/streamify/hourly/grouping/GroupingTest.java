package io.streamify.hourly.grouping;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each grouping gives one exact output per key, in buckets (DirectRunner) and as Beam's own. */
class GroupingTest {
  static Pipeline pipeline(Class<? extends PipelineRunner<?>> runner) {
    PipelineOptions o = PipelineOptionsFactory.create();
    o.setRunner(runner);
    return Pipeline.create(o);
  }

  /** 1,000 (key, value) pairs over 37 keys: key k%37 gets the values k. */
  static List<KV<String, Long>> pairs() {
    List<KV<String, Long>> pairs = new ArrayList<>();
    for (long k = 0; k < 1000; k++) {
      pairs.add(KV.of("key " + (k % 37), k));
    }
    return pairs;
  }

  static List<KV<String, Long>> sums() {
    return IntStream.range(0, 37)
        .mapToObj(
            k ->
                KV.of(
                    "key " + k,
                    IntStream.range(0, 1000).filter(v -> v % 37 == k).asLongStream().sum()))
        .toList();
  }

  static Class<? extends PipelineRunner<?>> runner(String name) {
    return name.equals("DirectRunner") ? DirectRunner.class : BeamIdiomsRunner.class;
  }

  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "BeamIdiomsRunner"})
  void sumsPerKey(String runner) {
    Pipeline p = pipeline(runner(runner));
    PCollection<KV<String, Long>> in =
        p.apply(Create.of(pairs()).withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
    PAssert.that(in.apply(Grouping.sumPerKey())).containsInAnyOrder(sums());
    p.run().waitUntilFinish();
  }

  static final class Max extends Combine.BinaryCombineFn<Long> {
    @Override
    public Long apply(Long a, Long b) {
      return Math.max(a, b);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "BeamIdiomsRunner"})
  void combinesPerKey(String runner) {
    Pipeline p = pipeline(runner(runner));
    PCollection<KV<String, Long>> in =
        p.apply(Create.of(pairs()).withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
    PAssert.that(in.apply(Grouping.combining(new Max())))
        .containsInAnyOrder(
            IntStream.range(0, 37)
                .mapToObj(k -> KV.of("key " + k, (long) (999 - ((999 - k) % 37))))
                .toList());
    p.run().waitUntilFinish();
  }

  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "BeamIdiomsRunner"})
  void groupsPerKey(String runner) {
    Pipeline p = pipeline(runner(runner));
    PCollection<KV<String, Long>> in =
        p.apply(Create.of(pairs()).withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
    PCollection<KV<String, Long>> sizesAndSums =
        in.apply(Grouping.byKey())
            .apply(
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via(
                        g -> {
                          long sum = 0;
                          for (long v : g.getValue()) {
                            sum += v;
                          }
                          return KV.of(g.getKey(), sum);
                        }));
    PAssert.that(sizesAndSums).containsInAnyOrder(sums());
    p.run().waitUntilFinish();
  }

  /** The sum of each group's values. */
  static PCollection<KV<String, Long>> groupSums(PCollection<KV<String, Iterable<Long>>> groups) {
    return groups.apply(
        "Group sums",
        MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
            .via(
                g -> {
                  long sum = 0;
                  for (long v : g.getValue()) {
                    sum += v;
                  }
                  return KV.of(g.getKey(), sum);
                }));
  }

  @Test
  void inputFromManyBundlesIsGroupedExactlyAndItsSpillFilesAreDeleted() throws Exception {
    Pipeline p = pipeline(DirectRunner.class);
    // 25 inputs, so the groupings get elements of every key from many bundles.
    List<KV<String, Long>> all = pairs();
    PCollectionList<KV<String, Long>> parts = PCollectionList.empty(p);
    for (int i = 0; i < 25; i++) {
      parts =
          parts.and(
              p.apply(
                  "Part " + i,
                  Create.of(all.subList(i * 40, i * 40 + 40))
                      .withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))));
    }
    PCollection<KV<String, Long>> in = parts.apply(Flatten.pCollections());
    GroupInBuckets<String, Long> grouping = GroupInBuckets.create();
    PAssert.that(groupSums(in.apply("Group", grouping))).containsInAnyOrder(sums());
    PAssert.that(in.apply("Sum", Grouping.combining(new Sum()))).containsInAnyOrder(sums());
    p.run().waitUntilFinish();
    assertThat(Files.exists(grouping.spillFolder()), equalTo(false));
  }

  /** Emits string keys that differ as Java strings but encode alike (lone surrogates as "?"). */
  static final class AliasedKeysFn extends DoFn<Long, KV<String, Long>> {
    @ProcessElement
    public void process(@Element Long i, OutputReceiver<KV<String, Long>> out) {
      out.output(KV.of(List.of("\uD800", "?", "\uDC00", "\uD801").get(i.intValue()), i));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "BeamIdiomsRunner"})
  void keysThatEncodeAlikeAreOneKeyAsInGroupByKey(String runner) {
    Pipeline p = pipeline(runner(runner));
    // as the hourly pipeline runs: elements are not passed through their coder between steps
    p.getOptions().as(DirectOptions.class).setEnforceEncodability(false);
    p.getOptions().as(DirectOptions.class).setEnforceImmutability(false);
    PCollection<KV<String, Long>> in =
        p.apply(Create.of(0L, 1L, 2L, 3L))
            .apply(ParDo.of(new AliasedKeysFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    PAssert.that(groupSums(in.apply("Group", Grouping.byKey()))).containsInAnyOrder(KV.of("?", 6L));
    PAssert.that(in.apply("Sum", Grouping.combining(new Sum()))).containsInAnyOrder(KV.of("?", 6L));
    p.run().waitUntilFinish();
  }

  /** The greater of two values, null being the least. */
  static final class NullableMax extends Combine.BinaryCombineFn<Long> {
    @Override
    public Long apply(Long a, Long b) {
      return a == null ? b : b == null ? a : Math.max(a, b);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "BeamIdiomsRunner"})
  void nullValuesAreCombinedAsValues(String runner) {
    Pipeline p = pipeline(runner(runner));
    KvCoder<String, Long> coder =
        KvCoder.of(StringUtf8Coder.of(), NullableCoder.of(VarLongCoder.of()));
    PCollection<KV<String, Long>> in =
        p.apply(
            Create.of(KV.of("a", 1L), KV.of("a", (Long) null), KV.of("b", (Long) null))
                .withCoder(coder));
    PAssert.that(in.apply(Grouping.combining(new NullableMax())))
        .containsInAnyOrder(KV.of("a", 1L), KV.of("b", (Long) null));
    p.run().waitUntilFinish();
  }

  static final class Sum extends Combine.BinaryCombineFn<Long> {
    @Override
    public Long apply(Long a, Long b) {
      return a + b;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "BeamIdiomsRunner"})
  void spreadingKeepsEveryElement(String runner) {
    Pipeline p = pipeline(runner(runner));
    PCollection<KV<String, Long>> in =
        p.apply(Create.of(pairs()).withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
    PAssert.that(in.apply(Grouping.spread())).containsInAnyOrder(pairs());
    p.run().waitUntilFinish();
  }

  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "BeamIdiomsRunner"})
  void theChoiceFollowsTheRunner(String runner) {
    Pipeline p = pipeline(runner(runner));
    assertThat(Grouping.inBuckets(p.getOptions()), equalTo(runner.equals("DirectRunner")));
  }
}
