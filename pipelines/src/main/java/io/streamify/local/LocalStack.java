package io.streamify.local;

import io.streamify.cli.VersionProvider;
import io.streamify.dashboard.DashboardServer;
import io.streamify.dashboard.DuckDbQueries;
import io.streamify.events.LakeTable;
import io.streamify.generator.sink.KafkaSink;
import io.streamify.kafka.LocalKafka;
import io.streamify.lake.Hours;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.PipelineResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code streamify local}: the whole system on one machine, in one JVM plus the broker's.
 *
 * <pre>
 * generator (accelerated) ─▶ Kafka ─▶ stream pipeline ─▶ lake ─(hour closed)─▶ hourly pipeline
 *                                                                   ─▶ DuckDB ─▶ dashboard
 * </pre>
 *
 * It starts them in that order (the dashboard first, so a taken port fails at once), runs the
 * hourly pipeline whenever the stream pipeline has marked an hour closed in the lake, and on Ctrl-C
 * stops them in reverse order. Everything lives in one data folder (lake, warehouse, broker logs,
 * logs, and the state a second run continues from). {@code --hours N} runs N simulated hours,
 * processes them, prints a summary and exits: 0 when every event produced is in the warehouse and
 * every data-quality check passed.
 */
@Command(
    name = "streamify local",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpWidth = 100,
    abbreviateSynopsis = true,
    sortOptions = false,
    description = {
      "The whole pipeline on this machine: a Kafka broker, the stream pipeline, the"
          + " generator (accelerated), the hourly pipeline as hours close, the DuckDB warehouse and"
          + " the dashboard.",
      "Ctrl-C stops it all; a second run continues where it stopped."
    })
public final class LocalStack implements Callable<Integer> {
  static final String CONSUMER_GROUP = "streamify-local";

  static final List<String> TOPICS =
      Arrays.stream(LakeTable.values())
          .filter(LakeTable::isEvent)
          .map(LakeTable::tableName)
          .toList();

  @Mixin LocalOptions options = new LocalOptions();

  private final PrintStream out;
  private final Instant now;

  /** The stream pipeline's launch id: in its file names and its closed-through mark. */
  private final String streamLaunch = UUID.randomUUID().toString().substring(0, 8);

  // The running parts, in start order; stop() goes backwards.
  private DuckDbQueries dashboardQueries;
  private DashboardServer dashboard;
  private LocalKafka kafka;
  private PipelineResult stream;
  private GeneratorRun generator;
  private HourlyRunner hourly;
  private long firstSessionId;
  private Instant simulatedEnd;
  private String catalogUsed;
  private long runStart;
  private Path stateFile;
  private Path lakePath;
  private volatile boolean stopped; // set by the Ctrl-C hook, read by the main loop

  LocalStack(PrintStream out, Instant now) {
    this.out = out;
    this.now = now;
  }

  /** A one-line problem with the command line or the machine: exit code 2. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  public static void main(String[] args) {
    quietLibraries();
    System.exit(run(args, System.err));
  }

  /** Library logs go to DATA/logs/stack.log; the console shows the stack's own lines. */
  static void quietLibraries() {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.parquet", "error");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.hadoop", "error");
  }

  public static int run(String[] args, PrintStream out) {
    LocalStack stack = new LocalStack(out, Instant.now());
    CommandLine cmd = new CommandLine(stack);
    // --help and --version on stdout, as every command prints them; the stack's lines on out
    cmd.setOut(new PrintWriter(out == System.err ? System.out : out, true));
    cmd.setErr(new PrintWriter(out, true));
    cmd.setParameterExceptionHandler(
        (ex, a) -> {
          out.println("streamify local: " + ex.getMessage() + " (see --help)");
          return 2;
        });
    cmd.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          stack.stop();
          if (ex instanceof UsageException) {
            out.println("streamify local: " + ex.getMessage());
            return 2;
          }
          out.println("streamify local: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
          return 1;
        });
    return cmd.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    options.validate();
    Path lakeDir =
        (options.lake != null ? options.lake : options.data.resolve("lake")).toAbsolutePath();
    lakePath = lakeDir;
    Path warehouseFile =
        (options.warehouse != null ? options.warehouse : options.data.resolve("warehouse.duckdb"))
            .toAbsolutePath();
    // Every usage check before the first folder is made: a mistyped command leaves nothing behind.
    stateFile = options.data.resolve("state.json");
    LocalState previous = LocalState.read(stateFile);
    Instant simStart = options.simulatedStart(previous, now);
    if (Files.exists(lakeDir) && !Files.isDirectory(lakeDir)) {
      throw new UsageException("--lake " + lakeDir + " is a file, not a folder");
    }
    LocalChecks.checkWarehouse(warehouseFile);
    LocalChecks.checkPortFree(options.port, "--port", "the dashboard's port");
    LocalChecks.checkPortFree(options.kafkaPort, "--kafka-port", "Kafka's port");
    LocalChecks.writable(options.data);
    LocalChecks.writable(lakeDir);
    LocalChecks.writable(warehouseFile.getParent());
    Files.createDirectories(options.data.resolve("logs"));
    // Before the first logger exists: the libraries' warnings go to a file, not the console.
    System.setProperty(
        "org.slf4j.simpleLogger.logFile",
        options.data.resolve("logs/stack.log").toAbsolutePath().toString());
    firstSessionId = previous == null ? 1 : previous.nextSessionId();
    catalogUsed =
        options.catalog != null ? options.catalog : previous != null ? previous.catalog() : null;
    runStart = System.nanoTime();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (stop()) {
                    out.println(
                        "streamify local: stopped; run it again to continue from "
                            + Hours.format(Instant.ofEpochMilli(resumeAt()))
                            + " UTC");
                  }
                },
                "streamify-local-stop"));

    dashboardQueries = StackStart.warehouseQueries(warehouseFile);
    dashboard = StackStart.dashboard(dashboardQueries, options.port);
    out.printf(
        "streamify local: data in %s (lake %s, warehouse %s)%n",
        options.data.toAbsolutePath(), lakeDir, warehouseFile);
    step("dashboard", dashboard.url());

    kafka = StackStart.kafka(options.kafkaPort, options.data.resolve("kafka").toAbsolutePath());
    step(
        "Kafka broker",
        kafka.bootstrapServers() + " (log " + options.data.resolve("kafka/broker.log") + ")");

    KafkaSink.ensureTopics(
        new KafkaSink.Settings(kafka.bootstrapServers(), "", 4, (short) 1, Map.of(), 60_000),
        TOPICS);
    StackStart.catalog(lakeDir, options.catalog != null, catalogUsed)
        .ifPresent(written -> step("song catalog", written));

    stream =
        StackStart.stream(
            kafka.bootstrapServers(), lakeDir, streamLaunch, options.allowedLatenessMinutes);
    step(
        "stream pipeline",
        "DirectRunner, two-minute windows, hours close "
            + options.allowedLatenessMinutes
            + " simulated minutes after their end");

    Map<String, Long> offsetsBefore = StackWatch.endOffsets(kafka);
    Instant simEnd = options.hours > 0 ? simStart.plus(options.hours, ChronoUnit.HOURS) : null;
    simulatedEnd = simEnd;
    GeneratorRun.Settings simulation =
        new GeneratorRun.Settings(
            options.users,
            options.growthRate,
            options.speed,
            options.seed,
            catalogUsed,
            firstSessionId,
            kafka.bootstrapServers());
    generator = new GeneratorRun();
    generator.start(simulation, simStart, simEnd, options.data.resolve("logs/generator.log"));
    step("generator", simulation.describe(simStart, simEnd));

    hourly =
        new HourlyRunner(
            lakeDir.toString(),
            warehouseFile.toString(),
            out,
            runStart,
            StackStart.hourlyWindow(simStart, simEnd, streamLaunch));
    hourly.start();
    step(
        "hourly pipeline",
        "runs for each hour the stream pipeline closes; warehouse " + warehouseFile);
    out.println("streamify local: open " + dashboard.url() + " — Ctrl-C stops everything");

    StackWatch watch =
        new StackWatch(
            new StackWatch.Running(
                out,
                options.data,
                lakeDir,
                warehouseFile,
                kafka,
                stream,
                generator,
                hourly,
                runStart,
                () -> stopped,
                () -> saveState(true),
                this::stop));
    return options.hours > 0 ? watch.hours(simStart, simEnd, offsetsBefore) : watch.untilStopped();
  }

  private void step(String what, String detail) {
    out.printf(
        "streamify local: [%5.1f s] %-16s %s%n",
        (System.nanoTime() - runStart) / 1e9, what, detail);
  }

  /** Where the next run continues (epoch ms): see {@link LocalState#resumeAt}. */
  private long resumeAt() {
    return generator == null
        ? LocalState.resumeAt(-1, simulatedEnd, Long.MIN_VALUE, now)
        : LocalState.resumeAt(generator.exit(), simulatedEnd, generator.simulatedClock(), now);
  }

  /** Saves where the simulation stands, for the next run (also while running). */
  private void saveState(boolean running) {
    if (generator == null) {
      return;
    }
    long next = LocalState.nextSessionId(firstSessionId, generator.eventsSent(), running);
    try {
      new LocalState(resumeAt(), next, catalogUsed).write(stateFile);
    } catch (IOException e) {
      out.println("streamify local: cannot save " + stateFile + ": " + e.getMessage());
    }
  }

  /** Stops what runs, newest first; true the first time. */
  synchronized boolean stop() {
    if (stopped) {
      return false;
    }
    stopped = true;
    if (hourly != null) {
      out.println("streamify local: stopping the hourly pipeline (a run in progress finishes)");
      hourly.stop();
    }
    if (generator != null) {
      out.println("streamify local: stopping the generator");
      generator.stop();
    }
    if (stream != null) {
      out.println("streamify local: stopping the stream pipeline");
      try {
        stream.cancel();
      } catch (IOException | RuntimeException e) {
        // already stopped
      }
    }
    if (kafka != null) {
      out.println("streamify local: stopping Kafka");
      kafka.close();
    }
    if (dashboard != null) {
      dashboard.close();
    }
    if (dashboardQueries != null) {
      try {
        dashboardQueries.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
    saveState(false);
    return true;
  }
}
