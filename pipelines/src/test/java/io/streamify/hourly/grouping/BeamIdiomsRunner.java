package io.streamify.hourly.grouping;

import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The DirectRunner under another name: {@link Grouping} then builds what it builds for every runner
 * but the DirectRunner (Beam's GroupByKey and Combine), and the test runs it here.
 */
public final class BeamIdiomsRunner extends PipelineRunner<PipelineResult> {
  private final PipelineOptions options;

  private BeamIdiomsRunner(PipelineOptions options) {
    this.options = options;
  }

  public static BeamIdiomsRunner fromOptions(PipelineOptions options) {
    return new BeamIdiomsRunner(options);
  }

  @Override
  public PipelineResult run(Pipeline pipeline) {
    return DirectRunner.fromOptions(options).run(pipeline);
  }
}
