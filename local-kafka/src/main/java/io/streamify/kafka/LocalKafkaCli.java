package io.streamify.kafka;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code streamify kafka}: runs a local broker until Ctrl-C. Prints its bootstrap address on stdout
 * (one line) so scripts can capture it.
 */
public final class LocalKafkaCli {
  private static final String USAGE =
      "usage: streamify kafka [--port N (default 9092; 0 = any"
          + " free port)] [--data DIR (default: a temporary folder)] [--partitions N (default 4)]";

  private LocalKafkaCli() {}

  private static volatile boolean stopping;

  public static void main(String[] args) throws InterruptedException {
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    int port = 9092;
    Path data = null;
    int partitions = 4;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--port" -> port = Integer.parseInt(value(args, ++i));
          case "--data" -> data = Path.of(value(args, ++i));
          case "--partitions" -> partitions = Integer.parseInt(value(args, ++i));
          case "-h", "--help" -> {
            System.out.println(USAGE);
            return;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (port < 0 || port > 65535 || partitions < 1) {
        throw new IllegalArgumentException("--port must be 0-65535 and --partitions >= 1");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("streamify kafka: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    LocalKafka kafka;
    try {
      kafka = LocalKafka.start(port, data, partitions);
    } catch (IOException e) {
      System.err.println("streamify kafka: " + e.getMessage());
      System.exit(1);
      return;
    }
    // close() is also registered as a shutdown hook by LocalKafka; Ctrl-C stops the broker cleanly.
    System.out.println(kafka.bootstrapServers());
    System.err.println(
        "streamify kafka: broker ready at "
            + kafka.bootstrapServers()
            + " (data in "
            + kafka.dataDir()
            + "); Ctrl-C stops it");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping = true;
                  kafka.close();
                }));
    int code = kafka.waitFor();
    // 130/143: the broker got the same Ctrl-C or SIGTERM and shut down cleanly.
    if (!stopping && code != 0 && code != 130 && code != 143) {
      System.err.println(
          "streamify kafka: the broker exited with code "
              + code
              + "; see "
              + kafka.dataDir().resolve("broker.log"));
      System.exit(1);
    }
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
