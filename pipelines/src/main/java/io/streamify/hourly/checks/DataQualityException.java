package io.streamify.hourly.checks;

import java.util.ArrayList;
import java.util.List;

/** Data-quality checks failed: the run stops and loads nothing. One line per failed check. */
public final class DataQualityException extends RuntimeException {
  private final List<String> failures;

  public DataQualityException(List<String> failures) {
    super("data-quality checks failed, nothing was loaded:\n  " + String.join("\n  ", failures));
    List<String> lines = new ArrayList<>();
    // a failure line may hold several (LoadBigQuery joins them): one per check
    failures.forEach(
        f -> f.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(lines::add));
    this.failures = List.copyOf(lines);
  }

  /** The failed checks, one line each. */
  public List<String> failures() {
    return failures;
  }

  /** The data-quality failure a run failed with, found in the exception's causes; or null. */
  public static DataQualityException in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DataQualityException dq) {
        return dq;
      }
    }
    return null;
  }
}
