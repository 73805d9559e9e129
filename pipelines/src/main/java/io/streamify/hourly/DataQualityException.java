package io.streamify.hourly;

import java.util.List;

/** Data-quality checks failed: the run stops and loads nothing. One line per failed check. */
public final class DataQualityException extends RuntimeException {
  public DataQualityException(List<String> failures) {
    super("data-quality checks failed, nothing was loaded:\n  " + String.join("\n  ", failures));
  }
}
