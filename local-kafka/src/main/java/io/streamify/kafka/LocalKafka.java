package io.streamify.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one process, no ZooKeeper) run
 * from the Maven artifacts in a child JVM on 127.0.0.1. A child JVM keeps the broker's Scala and
 * Jackson off the caller's classpath and lets tests kill it like a real broker.
 */
public final class LocalKafka implements AutoCloseable {
  private static final String CLASSPATH_RESOURCE = "/io/streamify/kafka/broker-classpath.txt";

  private final Path dataDir;
  private final boolean deleteOnClose;
  private final int port;
  private final Process process;
  private final Thread shutdownHook;

  private LocalKafka(Path dataDir, boolean deleteOnClose, int port, Process process) {
    this.dataDir = dataDir;
    this.deleteOnClose = deleteOnClose;
    this.port = port;
    this.process = process;
    this.shutdownHook = new Thread(this::stopProcess, "local-kafka-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a broker on free ports with its data in a temporary folder deleted on close. */
  public static LocalKafka start() throws IOException {
    return start(0, null, 4);
  }

  /**
   * Starts a broker and waits until it answers.
   *
   * @param port the client port, or 0 for a free one
   * @param dataDir where the broker keeps its logs (kept on close), or null for a temporary one
   * @param defaultPartitions partitions of auto-created topics
   */
  public static LocalKafka start(int port, Path dataDir, int defaultPartitions) throws IOException {
    boolean temporary = dataDir == null;
    Path dir = temporary ? Files.createTempDirectory("streamify-kafka-") : dataDir;
    Files.createDirectories(dir);
    int clientPort = port == 0 ? freePort() : requireFree(port);
    int controllerPort = freePort();
    Path logs = dir.resolve("kraft-logs");
    Path config = dir.resolve("server.properties");
    boolean formatted = Files.exists(logs.resolve("meta.properties"));
    writeConfig(config, logs, clientPort, controllerPort, defaultPartitions);

    String classpath = brokerClasspath();
    Path brokerLog = dir.resolve("broker.log");
    if (!formatted) {
      List<String> format = javaCommand(classpath, "256m");
      format.addAll(
          List.of(
              "kafka.tools.StorageTool",
              "format",
              "--ignore-formatted",
              "-t",
              Uuid.randomUuid().toString(),
              "-c",
              config.toString()));
      Process f =
          new ProcessBuilder(format)
              .redirectErrorStream(true)
              .redirectOutput(brokerLog.toFile())
              .start();
      try {
        if (!f.waitFor(60, TimeUnit.SECONDS) || f.exitValue() != 0) {
          f.destroyForcibly();
          throw new IOException("formatting Kafka storage failed: " + tail(brokerLog));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while formatting Kafka storage", e);
      }
    }
    List<String> run = javaCommand(classpath, "1g");
    run.set(run.size() - 1, classpath + java.io.File.pathSeparator + ownCodeSource());
    run.addAll(List.of(BrokerUntilParentExits.class.getName(), config.toString()));
    Process p =
        new ProcessBuilder(run)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(brokerLog.toFile()))
            .start();
    LocalKafka kafka = new LocalKafka(dir, temporary, clientPort, p);
    try {
      kafka.awaitReady(90_000);
    } catch (IOException | RuntimeException e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The broker's process id. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Blocks until the broker process exits (for the command-line use). */
  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  private void awaitReady(long timeoutMs) throws IOException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    // Wait for the port first: an admin client polling a closed port logs a warning per attempt.
    while (!portOpen()) {
      if (!process.isAlive()) {
        throw new IOException(
            "the Kafka broker exited during start-up: " + tail(dataDir.resolve("broker.log")));
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IOException(
            "the Kafka broker did not open port "
                + port
                + " within "
                + timeoutMs / 1000
                + " s: "
                + tail(dataDir.resolve("broker.log")));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for Kafka", e);
      }
    }
    try (Admin admin = Admin.create(props)) {
      while (true) {
        if (!process.isAlive()) {
          throw new IOException(
              "the Kafka broker exited during start-up: " + tail(dataDir.resolve("broker.log")));
        }
        try {
          if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception notYet) {
          // still starting
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IOException(
              "the Kafka broker did not answer within "
                  + timeoutMs / 1000
                  + " s: "
                  + tail(dataDir.resolve("broker.log")));
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for Kafka", e);
        }
      }
    }
  }

  private boolean portOpen() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the broker (a clean shutdown, forced after 30 s) and deletes a temporary data folder. */
  @Override
  public void close() {
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
    if (deleteOnClose) {
      deleteRecursively(dataDir);
    }
  }

  /**
   * Leaves stopping the broker to the caller's own shutdown hook (which then stops things in its
   * order), instead of this broker's, which the JVM would run at the same time as the caller's.
   */
  public void stopOnlyOnClose() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  /** Kills the broker at once, as a crash would (for tests of restarts). */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stopProcess() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static List<String> javaCommand(String classpath, String heap) {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx" + heap);
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Djava.awt.headless=true");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info");
    cmd.add("-cp");
    cmd.add(classpath);
    return cmd;
  }

  /** This module's classes (a jar, or target/classes), for the broker's main wrapper. */
  private static String ownCodeSource() throws IOException {
    try {
      return Path.of(LocalKafka.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException | NullPointerException e) {
      throw new IOException("cannot locate the local-kafka classes: " + e);
    }
  }

  static String brokerClasspath() throws IOException {
    try (InputStream in = LocalKafka.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IOException("missing " + CLASSPATH_RESOURCE + ": build the local-kafka module");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  private static void writeConfig(
      Path file, Path logs, int port, int controllerPort, int partitions) throws IOException {
    String config =
        String.join(
                "\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:"
                    + port
                    + ",CONTROLLER://127.0.0.1:"
                    + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logs.toAbsolutePath(),
                "num.partitions=" + partitions,
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "num.network.threads=2",
                "num.io.threads=4",
                // Keep every record: event producers stamp records with the event's time, so a time
                // limit would delete a replay of past days before the stream job reads it.
                "log.retention.ms=-1",
                "")
            + "\n";
    Files.writeString(file, config, StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static int requireFree(int port) throws IOException {
    try (ServerSocket s = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      return port;
    } catch (IOException e) {
      throw new IOException("port " + port + " on 127.0.0.1 is in use (another broker?)");
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no broker log)";
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // a leftover temp folder is not worth failing for
    }
  }
}
