package io.streamify.stream;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/** The pipeline's Beam counters (namespace {@value #NAMESPACE}), created on first use per name. */
final class StreamCounters {
  static final String NAMESPACE = "streamify";

  private final Map<String, Counter> counters = new HashMap<>();

  void inc(String name, long n) {
    counters.computeIfAbsent(name, x -> Metrics.counter(NAMESPACE, x)).inc(n);
  }
}
