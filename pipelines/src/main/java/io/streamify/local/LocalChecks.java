package io.streamify.local;

import io.streamify.generator.GeneratorCli;
import io.streamify.generator.config.ConfigException;
import io.streamify.local.LocalStack.UsageException;
import io.streamify.warehouse.DuckDbWarehouse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks {@code streamify local} makes before it creates anything: a mistyped command leaves no
 * folder behind and ends in one line ({@link UsageException}, exit 2).
 */
final class LocalChecks {
  private LocalChecks() {}

  /** An existing warehouse must be a DuckDB database (one another process holds counts too). */
  static void checkWarehouse(Path file) {
    if (!Files.exists(file)) {
      return;
    }
    if (Files.isDirectory(file)) {
      throw new UsageException("--warehouse " + file + " is a folder, not a DuckDB file");
    }
    DuckDbWarehouse.notADuckDbDatabase(file)
        .ifPresent(
            why -> {
              throw new UsageException(
                  "--warehouse " + file + " is not a DuckDB database (" + why + ")");
            });
  }

  /** A port given (not 0) must be free on the loopback now, before anything is made. */
  static void checkPortFree(int port, String option, String what) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      probe.setReuseAddress(true);
    } catch (IOException e) {
      throw new UsageException(
          what
              + " "
              + port
              + " is already in use (choose another with "
              + option
              + ", or "
              + option
              + " 0 for a free one)");
    }
  }

  static void writable(Path dir) {
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".write-test", "");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new UsageException(
          "cannot write to "
              + dir.toAbsolutePath()
              + " ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + ")");
    }
  }

  /**
   * {@code --start}: 2026-11-23 or 2026-11-23T08:00[:00], UTC, as epoch ms.
   *
   * @throws IllegalArgumentException naming the expected form
   */
  static long parseStart(String text) {
    try {
      return GeneratorCli.parseTime("--start", text);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(
          "--start: expected 2026-11-23 or 2026-11-23T08:00[:00]" + " (UTC), got '" + text + "'");
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.strip().lines().findFirst().orElse(s);
  }
}
