package io.streamify.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's peak resident memory, where Linux tells it (/proc/PID/status, VmHWM). */
public final class PeakMemory {
  private PeakMemory() {}

  /** Peak resident KiB of a process, or 0 where unknown (not Linux, or the process is gone). */
  public static long kib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or gone
    }
    return 0;
  }
}
