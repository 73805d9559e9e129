package io.streamify.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamify.lake.Hours;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * What a {@code streamify local} run leaves for the next one in its data folder: where the
 * simulated clock stopped (the next run continues at the following hour, so no hour mixes two
 * simulations), the first session id it may use, and the catalog the songs came from.
 */
public record LocalState(long resumeAt, long nextSessionId, String catalog) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Events a running save reserves session ids for (far more than a status interval sends). */
  static final long SESSION_ID_RESERVE = 100_000_000L;

  /**
   * Where the next run continues (epoch ms): at the simulated end when the generator ran to it
   * (exit 0), else at the first hour after the last reported simulated time plus one generator time
   * slice (events up to that far may be out), so that no hour holds two simulations; without a
   * report, the hour after {@code now}.
   *
   * @param generatorExit the generator's exit code, -1 while it runs
   * @param simulatedEnd the end of a --hours run, or null
   * @param clock the last reported simulated time (epoch ms), Long.MIN_VALUE without one
   */
  static long resumeAt(int generatorExit, Instant simulatedEnd, long clock, Instant now) {
    if (generatorExit == 0 && simulatedEnd != null) {
      return simulatedEnd.toEpochMilli();
    }
    long end = clock == Long.MIN_VALUE ? now.toEpochMilli() : clock + 10 * 60_000L;
    return (end / Hours.MILLIS + 1) * Hours.MILLIS;
  }

  /**
   * The first session id the next run may use. The generator's session ids are {@code
   * firstSessionId + n·64 + partition} with n below the events written; a save while running (a
   * stack that is killed leaves that one) reserves ids for {@link #SESSION_ID_RESERVE} more events.
   */
  static long nextSessionId(long firstSessionId, long eventsSent, boolean running) {
    long events = eventsSent + (running ? SESSION_ID_RESERVE : 0);
    return firstSessionId + (events + 1) * 64;
  }

  static LocalState read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return JSON.readValue(file.toFile(), LocalState.class);
    } catch (IOException e) {
      throw new IOException(
          "unreadable " + file + " (delete it to start afresh): " + e.getMessage());
    }
  }

  void write(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
