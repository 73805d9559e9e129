package io.streamify.local;

import io.streamify.audit.Audit;
import io.streamify.dashboard.Dashboard;
import io.streamify.dashboard.DashboardServer;
import io.streamify.dashboard.DuckDbQueries;
import io.streamify.events.LakeTable;
import io.streamify.generator.GeneratorCli;
import io.streamify.generator.PeakMemory;
import io.streamify.generator.catalog.CatalogLoader;
import io.streamify.generator.catalog.SyntheticCatalog;
import io.streamify.generator.sink.KafkaSink;
import io.streamify.hourly.LoadPlan;
import io.streamify.kafka.LocalKafka;
import io.streamify.lake.Hours;
import io.streamify.lake.LakeLayout;
import io.streamify.stream.StreamPipeline;
import io.streamify.warehouse.LoadCatalog;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
    versionProvider = io.streamify.cli.VersionProvider.class,
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

  /** How far ahead of the wall clock the stack's stream accepts events: a year. */
  static final int SIMULATION_AHEAD_MINUTES = 525_600;

  static final List<String> TOPICS =
      Arrays.stream(LakeTable.values())
          .filter(LakeTable::isEvent)
          .map(LakeTable::tableName)
          .toList();

  @Option(
      names = {"-n", "--users"},
      paramLabel = "N",
      description = {
        "Simulated users at the start (default: ${DEFAULT-VALUE}).",
        "e.g. --users=20000"
      })
  long users = 5000;

  @Option(
      names = "--growth-rate",
      paramLabel = "RATE",
      description = {
        "Yearly user growth as a fraction (default: ${DEFAULT-VALUE}).",
        "e.g. --growth-rate=0.3"
      })
  double growthRate = 1;

  @Option(
      names = "--start",
      paramLabel = "TIME",
      description = {
        "Simulated start, UTC, like"
            + " 2026-11-23T08:00 (default: where the last run in --data stopped, else the start of the"
            + " current hour a day ago; with --hours, early enough to end before now).",
        "e.g. --start=2026-11-23T08:00"
      })
  String start;

  @Option(
      names = "--hours",
      paramLabel = "N",
      description = {
        "Run N simulated hours, process"
            + " them, print a summary and exit (default: 0, run until Ctrl-C).",
        "e.g. --hours=2"
      })
  int hours;

  @Option(
      names = "--speed",
      paramLabel = "X",
      description = {
        "Simulated seconds per real second (default: ${DEFAULT-VALUE}).",
        "e.g. --speed=600"
      })
  double speed = 60;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = {"Random seed (default: the" + " generator's config's).", "e.g. --seed=42"})
  Long seed;

  @Option(
      names = "--catalog",
      paramLabel = "FILE[,FILE]",
      description = {
        "Song catalog: the"
            + " Million Song Dataset CSV and/or eventsim's listen_counts.txt.gz (default: the last"
            + " run's, else a synthetic one).",
        "e.g. --catalog=songs.csv,listen_counts.txt.gz"
      })
  String catalog;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = {
        "Folder for everything below (default: ${DEFAULT-VALUE}).",
        "e.g. --data=/tmp/streamify"
      })
  Path data = Path.of("streamify-data");

  @Option(
      names = "--lake",
      paramLabel = "DIR",
      description = {"The data lake (default: DATA/lake).", "e.g. --lake=/tmp/lake"})
  Path lake;

  @Option(
      names = "--warehouse",
      paramLabel = "FILE.duckdb",
      description = {
        "The DuckDB warehouse (default: DATA/warehouse.duckdb).",
        "e.g. --warehouse=/tmp/w.duckdb"
      })
  Path warehouse;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = {
        "Dashboard port on 127.0.0.1" + " (default: ${DEFAULT-VALUE}; 0 = a free one).",
        "e.g. --port=8081"
      })
  int port = 8080;

  @Option(
      names = "--kafka-port",
      paramLabel = "N",
      description = {"Kafka's port (default: a free one).", "e.g. --kafka-port=9092"})
  int kafkaPort;

  @Option(
      names = "--allowed-lateness",
      paramLabel = "MINUTES",
      description = {
        "Simulated minutes"
            + " an event may arrive late; an hour closes that long after its end (default:"
            + " ${DEFAULT-VALUE}).",
        "e.g. --allowed-lateness=10"
      })
  int allowedLatenessMinutes = 5;

  private final PrintStream out;
  private final Instant now;

  /** The stream pipeline's launch id: in its file names and its closed-through mark. */
  private final String streamLaunch = java.util.UUID.randomUUID().toString().substring(0, 8);

  // The running parts, in start order; stop() goes backwards.
  private DuckDbQueries dashboardQueries;
  private DashboardServer dashboard;
  private LocalKafka kafka;
  private PipelineResult stream;
  private Thread generator;
  private HourlyRunner hourly;
  private final AtomicLong simulatedClock = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong eventsSent = new AtomicLong();
  private volatile int generatorExit = -1;
  private volatile long generatorStarted;
  private volatile long generatorFinished;
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
    cmd.setOut(new java.io.PrintWriter(out == System.err ? System.out : out, true));
    cmd.setErr(new java.io.PrintWriter(out, true));
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
    validate();
    Path lakeDir = (lake != null ? lake : data.resolve("lake")).toAbsolutePath();
    lakePath = lakeDir;
    Path warehouseFile =
        (warehouse != null ? warehouse : data.resolve("warehouse.duckdb")).toAbsolutePath();
    // Every usage check before the first folder is made: a mistyped command leaves nothing behind.
    stateFile = data.resolve("state.json");
    LocalState previous = LocalState.read(stateFile);
    Instant simStart = simulatedStart(previous);
    if (Files.exists(lakeDir) && !Files.isDirectory(lakeDir)) {
      throw new UsageException("--lake " + lakeDir + " is a file, not a folder");
    }
    LocalChecks.checkWarehouse(warehouseFile);
    LocalChecks.checkPortFree(port, "--port", "the dashboard's port");
    LocalChecks.checkPortFree(kafkaPort, "--kafka-port", "Kafka's port");
    LocalChecks.writable(data);
    LocalChecks.writable(lakeDir);
    LocalChecks.writable(warehouseFile.getParent());
    Files.createDirectories(data.resolve("logs"));
    // Before the first logger exists: the libraries' warnings go to a file, not the console.
    System.setProperty(
        "org.slf4j.simpleLogger.logFile",
        data.resolve("logs/stack.log").toAbsolutePath().toString());
    firstSessionId = previous == null ? 1 : previous.nextSessionId();
    catalogUsed = catalog != null ? catalog : previous != null ? previous.catalog() : null;
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

    startDashboard(warehouseFile);
    out.printf(
        "streamify local: data in %s (lake %s, warehouse %s)%n",
        data.toAbsolutePath(), lakeDir, warehouseFile);
    step("dashboard", dashboard.url());

    try {
      kafka = LocalKafka.start(kafkaPort, data.resolve("kafka").toAbsolutePath(), 4);
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("is in use")) {
        throw new UsageException(
            "Kafka port "
                + kafkaPort
                + " is already in use (choose another"
                + " with --kafka-port, or 0 for any free one)");
      }
      throw e;
    }
    kafka.stopOnlyOnClose();
    step(
        "Kafka broker",
        kafka.bootstrapServers() + " (log " + data.resolve("kafka/broker.log") + ")");

    KafkaSink.ensureTopics(
        new KafkaSink.Settings(kafka.bootstrapServers(), "", 4, (short) 1, Map.of(), 60_000),
        TOPICS);
    loadCatalogIfNeeded(lakeDir);

    stream = startStream(lakeDir);
    step(
        "stream pipeline",
        "DirectRunner, two-minute windows, hours close "
            + allowedLatenessMinutes
            + " simulated minutes after their end");

    Map<String, Long> offsetsBefore = endOffsets();
    Instant simEnd = hours > 0 ? simStart.plus(hours, ChronoUnit.HOURS) : null;
    simulatedEnd = simEnd;
    generator = startGenerator(simStart, simEnd);
    step(
        "generator",
        String.format(
            Locale.ROOT,
            "%,d users from %s at %sx%s",
            users,
            simStart,
            speed == Math.rint(speed) ? String.valueOf((long) speed) : speed,
            simEnd == null
                ? ", until Ctrl-C"
                : ", " + hours + (hours == 1 ? " hour" : " hours") + " (to " + simEnd + ")"));

    hourly =
        new HourlyRunner(
            lakeDir.toString(),
            warehouseFile.toString(),
            out,
            runStart,
            hourlyWindow(simStart, simEnd, streamLaunch));
    hourly.start();
    step(
        "hourly pipeline",
        "runs for each hour the stream pipeline closes; warehouse " + warehouseFile);
    out.println("streamify local: open " + dashboard.url() + " — Ctrl-C stops everything");

    return hours > 0 ? runHours(simStart, simEnd, offsetsBefore, warehouseFile) : runUntilStopped();
  }

  /**
   * The hours the hourly runner considers: with --hours, those simulated (an hour with no event is
   * loaded as empty) and any older closed hour not loaded yet; otherwise every closed hour not
   * loaded yet, empty ones from the first hour the lake has. Only this launch's closed-through mark
   * counts: an earlier run's watermark passed hours before this run's records of them were written.
   */
  static LoadPlan.Window hourlyWindow(Instant simStart, Instant simEnd, String launch) {
    if (simEnd == null) {
      return new LoadPlan.Window(0, Long.MAX_VALUE, OptionalLong.empty(), Optional.of(launch));
    }
    long first = simStart.truncatedTo(ChronoUnit.HOURS).toEpochMilli();
    long last = simEnd.minusMillis(1).truncatedTo(ChronoUnit.HOURS).toEpochMilli();
    return new LoadPlan.Window(0, last, OptionalLong.of(first), Optional.of(launch));
  }

  private void validate() {
    if (users < 1) {
      throw new UsageException("--users must be >= 1");
    }
    if (!(growthRate >= 0)) {
      throw new UsageException("--growth-rate must be >= 0");
    }
    if (!(speed > 0)) {
      throw new UsageException("--speed must be > 0");
    }
    if (hours < 0) {
      throw new UsageException("--hours must be >= 0");
    }
    if (port < 0 || port > 65535 || kafkaPort < 0 || kafkaPort > 65535) {
      throw new UsageException("ports are 0..65535");
    }
    if (allowedLatenessMinutes < 0) {
      throw new UsageException("--allowed-lateness must be >= 0");
    }
    if (warehouse != null && !warehouse.toString().endsWith(".duckdb")) {
      throw new UsageException("--warehouse must be a file ending in .duckdb");
    }
    if (catalog != null) {
      List<Path> files = new java.util.ArrayList<>();
      for (String f : catalog.split(",")) {
        if (!f.isBlank() && !Files.isRegularFile(Path.of(f.strip()))) {
          throw new UsageException("catalog " + f.strip() + " does not exist");
        }
        if (!f.isBlank()) {
          files.add(Path.of(f.strip()));
        }
      }
      try {
        // read once up front (the generator reads it again): a file that is not a catalog is
        // a usage mistake found before anything starts
        io.streamify.generator.catalog.CatalogLoader.load(files);
      } catch (io.streamify.generator.config.ConfigException e) {
        throw new UsageException(e.getMessage());
      }
    }
  }

  private Instant simulatedStart(LocalState previous) {
    Instant s;
    if (start != null) {
      try {
        s = Instant.ofEpochMilli(LocalChecks.parseStart(start));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    } else if (previous != null) {
      s = Instant.ofEpochMilli(previous.resumeAt());
    } else {
      long back = Math.max(24, hours + 1L);
      s = now.truncatedTo(ChronoUnit.HOURS).minus(back, ChronoUnit.HOURS);
    }
    if (s.isBefore(Instant.EPOCH)) {
      throw new UsageException(
          "--start must be 1970 or later (event times are ms since" + " 1970-01-01 UTC), got " + s);
    }
    if (hours > 0 && s.plus(hours, ChronoUnit.HOURS).isAfter(now)) {
      // Once the generator stops, the watermark follows the wall clock: hours after now would
      // not close until real time reached them.
      throw new UsageException(
          "with --hours the simulated hours must end before now: "
              + s
              + " + "
              + hours
              + " h is after "
              + now.truncatedTo(ChronoUnit.SECONDS)
              + " (give an earlier --start)");
    }
    return s;
  }

  private void step(String what, String detail) {
    out.printf(
        "streamify local: [%5.1f s] %-16s %s%n",
        (System.nanoTime() - runStart) / 1e9, what, detail);
  }

  private void startDashboard(Path warehouseFile) throws Exception {
    try {
      dashboardQueries = new DuckDbQueries(warehouseFile.toString());
    } catch (SQLException e) {
      throw new UsageException(
          "cannot open the warehouse "
              + warehouseFile
              + ": "
              + firstLine(e.getMessage())
              + " (is another streamify local using it?)");
    }
    try {
      dashboard = DashboardServer.start(new Dashboard(dashboardQueries), port);
    } catch (BindException e) {
      throw new UsageException(
          "port "
              + port
              + " is already in use (choose another with"
              + " --port, or --port 0 for a free one)");
    }
  }

  private void loadCatalogIfNeeded(Path lakeDir) throws IOException {
    Path catalogFile = lakeDir.resolve(LakeLayout.CATALOG_FOLDER).resolve("songs.parquet");
    if (Files.exists(catalogFile) && catalog == null) {
      return;
    }
    var songs =
        catalogUsed == null
            ? SyntheticCatalog.build(SyntheticCatalog.DEFAULT_SIZE)
            : CatalogLoader.load(
                Arrays.stream(catalogUsed.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .map(Path::of)
                    .toList());
    LoadCatalog.load(songs, lakeDir.toString());
    step("song catalog", songs.description() + " → " + catalogFile);
  }

  private PipelineResult startStream(Path lakeDir) throws Exception {
    // blockOnRun=false: the DirectRunner returns at once, the stack goes on starting things
    String[] args = {
      "--runner=DirectRunner",
      "--streaming=true",
      "--blockOnRun=false",
      "--bootstrapServers=" + kafka.bootstrapServers(),
      "--lake=" + lakeDir,
      "--consumerGroup=" + CONSUMER_GROUP,
      "--launchId=" + streamLaunch,
      "--allowedLatenessMinutes=" + allowedLatenessMinutes,
      // the accelerated simulation runs ahead of the wall clock once it has caught up with it
      "--maxEventAheadMinutes=" + SIMULATION_AHEAD_MINUTES
    };
    StreamPipeline.Options o =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(StreamPipeline.Options.class);
    StreamPipeline.localDefaults(o, args);
    StreamPipeline.prepareConsumerGroup(o);
    Pipeline p = Pipeline.create(o);
    StreamPipeline.build(p, o);
    return p.run();
  }

  private Thread startGenerator(Instant from, Instant to) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-n",
                String.valueOf(users),
                "--growth-rate",
                String.valueOf(growthRate),
                "--mode",
                "accelerated",
                "--speed",
                String.valueOf(speed),
                "--start",
                from.toString(),
                "--sink",
                "kafka",
                "-b",
                kafka.bootstrapServers(),
                "--first-session-id",
                String.valueOf(firstSessionId),
                "--kafka-timeout",
                "60"));
    if (to != null) {
      args.addAll(List.of("--end", to.toString()));
    }
    if (seed != null) {
      args.addAll(List.of("--seed", String.valueOf(seed)));
    }
    if (catalogUsed != null) {
      args.addAll(List.of("--catalog", catalogUsed));
    }
    PrintStream log =
        new PrintStream(
            Files.newOutputStream(data.resolve("logs/generator.log")),
            true,
            java.nio.charset.StandardCharsets.UTF_8);
    Thread t =
        new Thread(
            () -> {
              generatorStarted = System.nanoTime();
              int exit =
                  GeneratorCli.run(
                      args.toArray(String[]::new),
                      log,
                      (time, records, active, done) -> {
                        simulatedClock.accumulateAndGet(time, Math::max);
                        eventsSent.set(records);
                      });
              generatorFinished = System.nanoTime();
              generatorExit = exit;
              log.close();
            },
            "generator");
    t.start();
    return t;
  }

  /** Interactive: a status line every 30 s until Ctrl-C (the shutdown hook stops things). */
  private int runUntilStopped() throws InterruptedException {
    while (true) {
      for (int i = 0; i < 30; i++) {
        Thread.sleep(1000);
        checkHealth();
      }
      status();
    }
  }

  private void checkHealth() {
    if (stopped) {
      return; // Ctrl-C: the stop cancels the stream itself; that is no failure
    }
    PipelineResult.State s = stream.getState();
    if (s.isTerminal()) {
      throw new IllegalStateException(
          "the stream pipeline stopped: " + s + " (see " + data.resolve("logs") + ")");
    }
    if (!kafka.isAlive()) {
      throw new IllegalStateException(
          "the Kafka broker exited (see " + data.resolve("kafka/broker.log") + ")");
    }
    if (generatorExit > 0 && generatorExit != 130) {
      throw new IllegalStateException(
          "the generator failed (exit "
              + generatorExit
              + ", see "
              + data.resolve("logs/generator.log")
              + ")");
    }
  }

  private void status() {
    saveState(true);
    long clock = simulatedClock.get();
    Long closed = hourly.lastClosedHour();
    out.printf(
        Locale.ROOT,
        "streamify local: simulated %s · %,d events sent · lake closed"
            + " through %s · warehouse: %d hour%s loaded%s · heap %d MiB%n",
        clock == Long.MIN_VALUE ? "-" : Instant.ofEpochMilli(clock).truncatedTo(ChronoUnit.MINUTES),
        eventsSent.get(),
        closed == null ? "-" : Hours.format(Instant.ofEpochMilli(closed)),
        hourly.processedCount(),
        hourly.processedCount() == 1 ? "" : "s",
        hourly.lastProcessed() == null
            ? ""
            : " (latest " + Hours.format(Instant.ofEpochMilli(hourly.lastProcessed())) + ")",
        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
  }

  /** --hours: waits until the generator is done and every hour is processed, then sums up. */
  private int runHours(
      Instant simStart, Instant simEnd, Map<String, Long> offsetsBefore, Path warehouseFile)
      throws Exception {
    List<Long> wanted =
        Hours.range(
            simStart.truncatedTo(ChronoUnit.HOURS),
            simEnd.minusMillis(1).truncatedTo(ChronoUnit.HOURS));
    long lastProgress = System.nanoTime();
    String lastSeen = "";
    long lastStatus = System.nanoTime();
    while (!(generatorExit >= 0 && hourly.doneWith(wanted))) {
      Thread.sleep(500);
      checkHealth();
      String seen =
          eventsSent.get() + "/" + hourly.processedCount() + "/" + hourly.lastClosedHour();
      if (!seen.equals(lastSeen)) {
        lastSeen = seen;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > TimeUnit.MINUTES.toNanos(5)) {
        throw new IllegalStateException(
            "no progress for 5 minutes (see " + data.resolve("logs") + ")");
      }
      if (System.nanoTime() - lastStatus > TimeUnit.SECONDS.toNanos(15)) {
        lastStatus = System.nanoTime();
        status();
      }
    }
    double seconds = (System.nanoTime() - runStart) / 1e9;
    Map<String, Long> offsetsAfter = endOffsets();
    long peakKb = PeakMemory.kib(ProcessHandle.current().pid()) + PeakMemory.kib(kafka.pid());
    // The audit, while the broker still runs: every offset in the lake, every hour loaded.
    java.io.ByteArrayOutputStream audit = new java.io.ByteArrayOutputStream();
    int audited =
        Audit.run(
            new String[] {
              "--lake=" + lakePath,
              "--warehouse=" + warehouseFile,
              "--bootstrapServers=" + kafka.bootstrapServers(),
              "--consumerGroup=" + CONSUMER_GROUP
            },
            new PrintStream(audit, true, java.nio.charset.StandardCharsets.UTF_8));
    stop();
    int code =
        new RunReport(
                out,
                TOPICS,
                hourly,
                eventsSent.get(),
                runStart,
                generatorStarted,
                generatorFinished)
            .print(wanted, offsetsBefore, offsetsAfter, warehouseFile, seconds, peakKb);
    out.print(audit.toString(java.nio.charset.StandardCharsets.UTF_8));
    boolean ok = code == 0 && audited == 0;
    out.println(
        "streamify local: "
            + (ok ? "OK" : "FAILED")
            + "; dashboard: streamify dashboard"
            + " --warehouse="
            + warehouseFile);
    return ok ? 0 : 1;
  }

  /** Each topic's end offsets summed over its partitions (0 for a topic not yet created). */
  private Map<String, Long> endOffsets() throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      return KafkaOffsets.endOffsets(admin, TOPICS);
    }
  }

  private long resumeAt() {
    if (generatorExit == 0 && simulatedEnd != null) {
      return simulatedEnd.toEpochMilli(); // ran to its end: continue right there
    }
    long clock = simulatedClock.get();
    // Events up to one generator time slice past the last report may be out: continue at the
    // first hour after it, so that no hour holds two simulations.
    long end = clock == Long.MIN_VALUE ? now.toEpochMilli() : clock + 10 * 60_000L;
    return (end / Hours.MILLIS + 1) * Hours.MILLIS;
  }

  /**
   * Saves where the simulation stands, for the next run. Also while running (every status line), so
   * that a stack that is killed leaves a state too; then its events after the last save must not
   * reuse session ids, so a running save reserves ids for many more events than were sent.
   */
  private void saveState(boolean running) {
    if (generator == null) {
      return;
    }
    // Session ids are firstSessionId + n·64 + partition with n below the events written.
    long events = eventsSent.get() + (running ? SESSION_ID_RESERVE : 0);
    long next = firstSessionId + (events + 1) * 64;
    try {
      new LocalState(resumeAt(), next, catalogUsed).write(stateFile);
    } catch (IOException e) {
      out.println("streamify local: cannot save " + stateFile + ": " + e.getMessage());
    }
  }

  /** Events a running save reserves session ids for (far more than a status interval sends). */
  static final long SESSION_ID_RESERVE = 100_000_000L;

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
      generator.interrupt();
      join(generator);
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

  private static void join(Thread t) {
    try {
      t.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.strip().lines().findFirst().orElse("");
  }
}
