package io.streamify.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What a {@code streamify local} run leaves for the next one in its data folder: where the
 * simulated clock stopped (the next run continues at the following hour, so no hour mixes two
 * simulations), the first session id it may use, and the catalog the songs came from.
 */
public record LocalState(long resumeAt, long nextSessionId, String catalog) {
  private static final ObjectMapper JSON = new ObjectMapper();

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
