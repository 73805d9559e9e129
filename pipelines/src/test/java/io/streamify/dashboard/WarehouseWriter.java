package io.streamify.dashboard;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.streamify.warehouse.DuckDbWarehouse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Another process writing a DuckDB warehouse, as an hourly run or {@code streamify local} does: it
 * holds the file's write lock until its stdin is closed. For the tests of what readers do
 * meanwhile.
 */
public final class WarehouseWriter {
  /**
   * Starts a Writer on {@code file} in a JVM of its own and returns once it holds the write lock;
   * closing the process's stdin ends it.
   */
  public static Process holdWriteLock(Path file) throws IOException {
    Process writer =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    WarehouseWriter.class.getName(),
                    file.toString()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String first =
        new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    assertThat(first, is("open"));
    return writer;
  }

  public static void main(String[] args) throws Exception {
    try (DuckDbWarehouse w = DuckDbWarehouse.open(args[0])) {
      System.out.println("open");
      System.out.flush();
      System.in.read(); // until the test closes our stdin
    }
  }
}
