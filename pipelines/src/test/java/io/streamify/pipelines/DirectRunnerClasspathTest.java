package io.streamify.pipelines;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/**
 * Guards the build's dependency fixes (docs/build-facts.md): with io-parquet, io-kafka and the
 * Dataflow runner on the classpath, a pipeline must still run on the DirectRunner. Without
 * hadoop-common even Create.of fails here with NoClassDefFoundError.
 */
class DirectRunnerClasspathTest {
  @Test
  void directRunnerRunsAPipelineWithTheFullClasspath() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<KV<String, Long>> counts =
        p.apply(Create.of("listen_events", "page_view_events", "listen_events"))
            .apply(Count.perElement());
    PAssert.that(counts)
        .containsInAnyOrder(KV.of("listen_events", 2L), KV.of("page_view_events", 1L));
    p.run().waitUntilFinish();
  }
}
