package io.streamify.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import com.google.api.services.dataflow.model.Job;
import com.google.api.services.dataflow.model.Step;
import io.streamify.generator.sink.KafkaSink;
import io.streamify.hourly.HourlyPipeline;
import io.streamify.kafka.LocalKafka;
import io.streamify.stream.StreamPipeline;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.runners.dataflow.DataflowPipelineTranslator;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.construction.Environments;
import org.apache.beam.sdk.util.construction.PipelineTranslation;
import org.apache.beam.sdk.util.construction.SdkComponents;
import org.junit.jupiter.api.Test;

/**
 * Both pipelines, built with the options a Flex Template launch gives them and the DataflowRunner,
 * construct, pass the runner's option checks and translate into a Dataflow job, all without
 * contacting Google Cloud: no credentials, no bucket check, nothing staged, no job submitted.
 * (Translating the stream job splits its Kafka source, which asks the broker for the topics'
 * partitions, as the template launcher does: a local broker stands in.)
 */
class DataflowGraphTest {
  static final String[] DATAFLOW = {
    "--runner=DataflowRunner",
    "--project=streamify-test",
    "--region=europe-west1",
    "--tempLocation=gs://streamify-test-templates/temp",
    // given, so that Beam does not derive it (which asks GCS about the bucket)
    "--gcpTempLocation=gs://streamify-test-templates/temp",
    "--stagingLocation=gs://streamify-test-templates/staging",
    "--serviceAccount=streamify-dataflow@streamify-test.iam.gserviceaccount.com",
    "--usePublicIps=false"
  };

  /** The runner, with its V1 overrides applied as run() would before translating. */
  static final class OfflineDataflowRunner extends DataflowRunner {
    OfflineDataflowRunner(DataflowPipelineOptions options) {
      super(options);
    }

    void prepare(Pipeline p) {
      replaceV1Transforms(p);
    }
  }

  static <T extends DataflowPipelineOptions> T options(Class<T> type, String... args) {
    String[] all = new String[DATAFLOW.length + args.length];
    System.arraycopy(DATAFLOW, 0, all, 0, DATAFLOW.length);
    System.arraycopy(args, 0, all, DATAFLOW.length, args.length);
    T o = PipelineOptionsFactory.fromArgs(all).withValidation().as(type);
    o.setPathValidatorClass(NoopPathValidator.class);
    o.setCredentialFactoryClass(NoopCredentialFactory.class);
    o.setFilesToStage(List.of());
    return o;
  }

  /** Translates a pipeline into the Dataflow job the runner would submit. */
  static Job translate(Pipeline p, DataflowPipelineOptions o) throws Exception {
    DataflowRunner.fromOptions(o); // the runner's own option checks
    OfflineDataflowRunner runner = new OfflineDataflowRunner(o);
    runner.prepare(p);
    SdkComponents components = SdkComponents.create();
    components.registerEnvironment(
        Environments.createDockerEnvironment("apache/beam_java17_sdk:2.71.0"));
    RunnerApi.Pipeline proto = PipelineTranslation.toProto(p, components, true, false);
    return DataflowPipelineTranslator.fromOptions(o)
        .translate(p, proto, components, runner, List.of())
        .getJob();
  }

  public interface StreamOnDataflow extends StreamPipeline.Options, DataflowPipelineOptions {}

  public interface HourlyOnDataflow extends HourlyPipeline.Options, DataflowPipelineOptions {}

  static List<String> stepNames(Job job) {
    return job.getSteps().stream().map(Step::getName).toList();
  }

  @Test
  void theStreamPipelineTranslatesForDataflow() throws Exception {
    try (LocalKafka kafka = LocalKafka.start()) {
      KafkaSink.ensureTopics(
          new KafkaSink.Settings(kafka.bootstrapServers(), "", 4, (short) 1, Map.of(), 60_000),
          List.of(StreamPipeline.ALL_TOPICS.split(",")));
      StreamOnDataflow o =
          options(
              StreamOnDataflow.class,
              "--streaming=true",
              "--bootstrapServers=" + kafka.bootstrapServers(),
              "--lake=gs://streamify-test-streamify-lake/lake");
      Pipeline p = Pipeline.create(o);
      StreamPipeline.build(p, o);
      Job job = translate(p, o);
      assertThat(job.getType(), is("JOB_TYPE_STREAMING"));
      assertThat(job.getSteps().size(), greaterThan(5));
      assertThat(
          job.getEnvironment().getServiceAccountEmail(),
          is("streamify-dataflow@streamify-test.iam.gserviceaccount.com"));
    }
  }

  @Test
  void theHourlyPipelineTranslatesForDataflow() throws Exception {
    HourlyOnDataflow o =
        options(
            HourlyOnDataflow.class,
            "--lake=gs://streamify-test-streamify-lake/lake",
            "--warehouse=streamify-test:streamify");
    HourlyPipeline.validate(o);
    Pipeline p = Pipeline.create(o);
    HourlyPipeline.build(
        p, o, HourlyPipeline.hours(o, Instant.parse("2026-11-24T14:10:00Z")), "test");
    Job job = translate(p, o);
    assertThat(job.getType(), is("JOB_TYPE_BATCH"));
    assertThat(job.getSteps().size(), greaterThan(50));
    // Off the DirectRunner, Beam's own groupings run (io.streamify.hourly.grouping.Grouping).
    List<String> userNames =
        job.getSteps().stream()
            .map(s -> String.valueOf(((Map<?, ?>) s.getProperties().get("user_name")).get("value")))
            .toList();
    assertThat(userNames.stream().filter(n -> n.endsWith("/GroupByKey")).count(), greaterThan(10L));
    assertThat(
        userNames.stream()
            .filter(n -> n.contains("/InBuckets") || n.contains("/PerBundleFirst"))
            .toList(),
        is(List.of()));
  }
}
