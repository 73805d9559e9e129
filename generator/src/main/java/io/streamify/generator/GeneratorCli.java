package io.streamify.generator;

import io.streamify.generator.catalog.CatalogLoader;
import io.streamify.generator.catalog.CatalogWriter;
import io.streamify.generator.catalog.SongCatalog;
import io.streamify.generator.catalog.SyntheticCatalog;
import io.streamify.generator.config.ConfigException;
import io.streamify.generator.config.ConfigLoader;
import io.streamify.generator.config.SimConfig;
import io.streamify.generator.events.EventEncoder;
import io.streamify.generator.events.Topic;
import io.streamify.generator.model.PageModel;
import io.streamify.generator.profile.UserProfiles;
import io.streamify.generator.sim.Calendar;
import io.streamify.generator.sim.Simulation;
import io.streamify.generator.sink.EventSink;
import io.streamify.generator.sink.FileSink;
import io.streamify.generator.sink.KafkaSink;
import io.streamify.generator.sink.KafkaUnavailableException;
import io.streamify.generator.sink.StdoutSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamify generate}: simulates users of a music-streaming service and writes events. */
@Command(
    name = "streamify generate",
    mixinStandardHelpOptions = true,
    versionProvider = GeneratorVersion.class,
    usageHelpWidth = 100,
    abbreviateSynopsis = true,
    sortOptions = false,
    description = {
      "Simulates a music-streaming service's users (eventsim's model) and writes the four event"
          + " streams listen_events, page_view_events, auth_events and status_change_events to"
          + " Kafka, JSON-lines files or stdout. The same seed and options give byte-identical"
          + " output."
    })
public final class GeneratorCli implements Callable<Integer> {
  enum Mode {
    historical,
    continuous,
    accelerated
  }

  enum SinkKind {
    file,
    kafka,
    stdout
  }

  @Option(
      names = {"-n", "--users"},
      paramLabel = "N",
      description = {"Initial number of users (default: ${DEFAULT-VALUE}).", "e.g. --users=100000"})
  long users = 1000;

  @Option(
      names = "--growth-rate",
      paramLabel = "RATE",
      description = {
        "Annual user growth as a fraction of the current users, e.g. 0.3 = 30%% a year (default: config's growth-rate, else 0).",
        "e.g. --growth-rate=0.3"
      })
  Double growthRate;

  @Option(
      names = "--attrition-rate",
      paramLabel = "RATE",
      description = {
        "Annual share of users who silently stop, e.g. 0.1 (default: ${DEFAULT-VALUE}).",
        "e.g. --attrition-rate=0.1"
      })
  double attritionRate = 0;

  @Option(
      names = "--first-user-id",
      paramLabel = "ID",
      description = {
        "userId of the first user (default: config's first-user-id, else 1).",
        "e.g. --first-user-id=1000001"
      })
  Long firstUserId;

  @Option(
      names = "--first-session-id",
      paramLabel = "ID|clock",
      description = {
        "sessionId of"
            + " the first session (default: ${DEFAULT-VALUE}); a run that continues an earlier one"
            + " starts above its session ids, as (sessionId, itemInSession) identifies an event."
            + " clock: the start time in seconds since 1970 times 1000, so a generator restarted"
            + " unattended (a container's restart) never repeats an earlier start's session ids.",
        "e.g. --first-session-id=500000"
      })
  String firstSessionIdOption = "1";

  /** The first session id: the number given, or for "clock" the start second times 1000. */
  long firstSessionId() {
    if (firstSessionIdOption.equals("clock")) {
      return now.getEpochSecond() * 1000;
    }
    try {
      return Long.parseLong(firstSessionIdOption);
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "--first-session-id must be a number or clock, got '" + firstSessionIdOption + "'");
    }
  }

  @Option(
      names = "--start",
      paramLabel = "TIME",
      description = {
        "Start of simulated time, UTC: 2026-11-22 or 2026-11-22T13:00[:00][Z]. Default: historical mode yesterday 00:00, other modes now.",
        "e.g. --start=2026-11-22T13:00"
      })
  String start;

  @Option(
      names = "--end",
      paramLabel = "TIME",
      description = {
        "End of simulated time (exclusive), UTC. Default: historical mode start + 1 day, other modes never.",
        "e.g. --end=2026-11-23"
      })
  String end;

  @Option(
      names = "--from",
      paramLabel = "DAYS",
      description = {
        "Start this many days before today 00:00 UTC (eventsim's --from).",
        "e.g. --from=7"
      })
  Integer fromDaysAgo;

  @Option(
      names = "--to",
      paramLabel = "DAYS",
      description = {"End this many days before today 00:00 UTC (eventsim's --to).", "e.g. --to=1"})
  Integer toDaysAgo;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      description = {"Random seed (default: the config's seed).", "e.g. --seed=42"})
  Long seed;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = {
        "eventsim config JSON (default: Streamify's built-in config).",
        "e.g. --config=my-config.json"
      })
  Path config;

  @Option(
      names = "--catalog",
      paramLabel = "FILE",
      description = {
        "A real catalog: Million Song Dataset songs CSV and/or eventsim listen-counts (.txt or .txt.gz); repeat to give both. Default: built-in synthetic catalog.",
        "e.g. --catalog=songs.csv"
      })
  List<Path> catalog = new ArrayList<>();

  @Option(
      names = "--catalog-size",
      paramLabel = "N",
      description = {
        "Songs in the synthetic catalog (default: ${DEFAULT-VALUE}).",
        "e.g. --catalog-size=50000"
      })
  int catalogSize = SyntheticCatalog.DEFAULT_SIZE;

  @Option(
      names = "--write-catalog",
      paramLabel = "FILE",
      description = {
        "Also write the catalog used, as CSV, for the warehouse.",
        "e.g. --write-catalog=catalog.csv"
      })
  Path writeCatalog;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description = {
        "historical (as fast as possible), continuous (real time) or accelerated (--speed times real time). Default: ${DEFAULT-VALUE}.",
        "e.g. --mode=accelerated"
      })
  Mode mode = Mode.historical;

  @Option(
      names = "--speed",
      paramLabel = "X",
      description = {
        "Accelerated mode: simulated seconds per wall-clock second (default: ${DEFAULT-VALUE}).",
        "e.g. --speed=600"
      })
  double speed = 60;

  @Option(
      names = "--sink",
      paramLabel = "SINK",
      description = {"file, kafka or stdout (default: ${DEFAULT-VALUE}).", "e.g. --sink=kafka"})
  SinkKind sink = SinkKind.file;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      description = {
        "Folder for the file sink (default: ${DEFAULT-VALUE}).",
        "e.g. --output=events"
      })
  Path output = Path.of("output");

  @Option(
      names = "--topics",
      split = ",",
      paramLabel = "TOPIC",
      description = {
        "Topics to produce (default: all four).",
        "e.g. --topics=listen_events,auth_events"
      })
  List<String> topics;

  @Option(
      names = "--topic-prefix",
      paramLabel = "PREFIX",
      description = {
        "Prefix for topic (and file) names (default: none).",
        "e.g. --topic-prefix=test_"
      })
  String topicPrefix = "";

  @Option(
      names = {"-b", "--bootstrap-servers"},
      paramLabel = "HOST:PORT",
      description = {
        "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).",
        "e.g. --bootstrap-servers=localhost:9092"
      })
  String bootstrapServers = "localhost:9092";

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description = {
        "Partitions of topics the generator creates (default: ${DEFAULT-VALUE}).",
        "e.g. --partitions=8"
      })
  int partitions = 4;

  @Option(
      names = "--replication-factor",
      paramLabel = "N",
      description = {
        "Replication of topics the generator creates (default: ${DEFAULT-VALUE}).",
        "e.g. --replication-factor=3"
      })
  short replicationFactor = 1;

  @Option(
      names = "--kafka-property",
      paramLabel = "KEY=VALUE",
      description = {
        "Extra Kafka client setting, e.g. security.protocol=SASL_SSL; repeatable.",
        "e.g. --kafka-property=security.protocol=SASL_SSL"
      })
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  @Option(
      names = "--kafka-timeout",
      paramLabel = "SECONDS",
      description = {
        "How long to wait for Kafka to answer (default: ${DEFAULT-VALUE}).",
        "e.g. --kafka-timeout=60"
      })
  int kafkaTimeoutSeconds = 15;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = {
        "Simulation threads (default: the number of cores). Output does not depend on it.",
        "e.g. --threads=2"
      })
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress or summary on stderr.")
  boolean quiet;

  private final PrintStream err;
  private final Instant now;
  private Simulation.Progress listener = (time, records, users, done) -> {};

  public GeneratorCli() {
    this(System.err, Instant.now());
  }

  GeneratorCli(PrintStream err, Instant now) {
    this.err = err;
    this.now = now;
  }

  public static void main(String[] args) {
    quietKafkaLogging();
    System.exit(run(args, System.err));
  }

  /** Kafka's clients log every failed connection attempt; we report failures ourselves. */
  static void quietKafkaLogging() {
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
  }

  /** Runs the command; returns the exit code (0 ok, 1 failure while running, 2 bad input). */
  public static int run(String[] args, PrintStream err) {
    return run(new GeneratorCli(err, Instant.now()), args, err);
  }

  /**
   * Runs the command in this process (e.g. inside {@code streamify local}), telling {@code
   * listener} the simulated clock and the events written as it goes; interrupting the calling
   * thread stops the simulation.
   */
  public static int run(String[] args, PrintStream err, Simulation.Progress listener) {
    GeneratorCli cli = new GeneratorCli(err, Instant.now());
    cli.listener = listener;
    return run(cli, args, err);
  }

  static int run(GeneratorCli cli, String[] args, PrintStream err) {
    CommandLine cmd = new CommandLine(cli);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setErr(new java.io.PrintWriter(err, true));
    cmd.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("streamify generate: " + ex.getMessage() + " (see --help)");
          return 2;
        });
    cmd.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          if (ex instanceof StdoutSink.ReaderGoneException) {
            return 0; // like any Unix filter whose reader stopped reading
          }
          if (ex instanceof InterruptedException
              || ex instanceof org.apache.kafka.common.errors.InterruptException) {
            return 130; // stopped by the caller (streamify local's Ctrl-C), like a shell's SIGINT
          }
          if (ex instanceof ConfigException) {
            err.println("streamify generate: " + ex.getMessage());
            return 2;
          }
          if (ex instanceof IOException || ex instanceof KafkaUnavailableException) {
            err.println("streamify generate: " + ex.getMessage());
            return 1;
          }
          throw ex;
        });
    return cmd.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    SimConfig cfg = config == null ? ConfigLoader.loadDefault() : ConfigLoader.load(config);
    PageModel model = new PageModel(cfg);
    long[] range = timeRange(cfg);
    double growth = growthRate != null ? growthRate : cfg.growthRate().orElse(0.0);
    long firstId = firstUserId != null ? firstUserId : cfg.firstUserId().orElse(1L);
    long theSeed = seed != null ? seed : cfg.seed().orElse(0L);
    validate(model, growth);

    SongCatalog songs =
        catalog.isEmpty() ? SyntheticCatalog.build(catalogSize) : CatalogLoader.load(catalog);
    if (writeCatalog != null) {
      try {
        CatalogWriter.writeCsv(songs, writeCatalog);
      } catch (IOException e) {
        throw new ConfigException(
            "cannot write catalog to " + writeCatalog + ": " + e.getMessage());
      }
    }
    Set<Topic> selected = selectedTopics();
    EventEncoder encoder = new EventEncoder(model, songs, new UserProfiles(theSeed), selected);
    Simulation.Setup setup =
        new Simulation.Setup(
            theSeed,
            cfg,
            model,
            songs,
            new Calendar(cfg),
            encoder,
            range[0],
            range[1],
            firstId,
            attritionRate,
            firstSessionId());
    double pace =
        switch (mode) {
          case historical -> 0;
          case continuous -> 1;
          case accelerated -> speed;
        };
    ProgressReporter progress = new ProgressReporter(err, quiet, range[0]);
    Simulation sim =
        new Simulation(
            setup,
            new Simulation.Run(
                users,
                growth,
                threads,
                pace,
                (time, records, active, done) -> {
                  progress.report(time, records, active, done);
                  listener.report(time, records, active, done);
                }));
    if (!quiet) {
      err.printf(
          Locale.ROOT,
          "streamify generate: %,d users, growth %s/year, %s to %s, seed %d,"
              + " %s, %s mode, sink %s%n",
          users,
          growth,
          Instant.ofEpochMilli(range[0]),
          range[1] == Long.MAX_VALUE ? "(no end)" : Instant.ofEpochMilli(range[1]),
          theSeed,
          songs.description(),
          mode,
          describeSink());
    }
    try (EventSink out = openSink(selected)) {
      sim.run(out);
    }
    if (!quiet) {
      progress.summary(sim.counts(), sim.usersCreated());
    }
    return 0;
  }

  private void validate(PageModel model, double growth) {
    if (users < 0) {
      throw new ConfigException("--users must be >= 0");
    }
    if (growth < 0 || attritionRate < 0) {
      throw new ConfigException("--growth-rate and --attrition-rate must be >= 0");
    }
    if (growth > 0 && !model.canStartSession(model.newUserAuth(), model.newUserLevel())) {
      throw new ConfigException(
          "config: new users start as auth \""
              + model.newUserAuth()
              + "\", level \""
              + model.newUserLevel()
              + "\" but no \"new-session\" entry starts a"
              + " session for it");
    }
    if (!(speed > 0)) {
      throw new ConfigException("--speed must be > 0");
    }
    if (firstSessionId() < 1) {
      throw new ConfigException("--first-session-id must be >= 1");
    }
    if (kafkaTimeoutSeconds < 1) {
      throw new ConfigException("--kafka-timeout must be >= 1 (seconds)");
    }
    if (threads < 1) {
      throw new ConfigException("--threads must be >= 1");
    }
    if (catalogSize < 1) {
      throw new ConfigException("--catalog-size must be >= 1");
    }
    if (partitions < 1 || replicationFactor < 1) {
      throw new ConfigException("--partitions and --replication-factor must be >= 1");
    }
  }

  private Set<Topic> selectedTopics() {
    if (topics == null || topics.isEmpty()) {
      return EnumSet.allOf(Topic.class);
    }
    Set<Topic> out = EnumSet.noneOf(Topic.class);
    for (String t : topics) {
      try {
        out.add(Topic.byName(t.trim()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--topics: " + e.getMessage());
      }
    }
    return out;
  }

  private String describeSink() {
    return switch (sink) {
      case file -> "files in " + output;
      case kafka -> "Kafka at " + bootstrapServers;
      case stdout -> "stdout";
    };
  }

  private EventSink openSink(Set<Topic> selected) throws IOException {
    return switch (sink) {
      case file -> new FileSink(output, topicPrefix, selected);
      case stdout -> new StdoutSink(selected.size() > 1);
      case kafka ->
          new KafkaSink(
              new KafkaSink.Settings(
                  bootstrapServers,
                  topicPrefix,
                  partitions,
                  replicationFactor,
                  kafkaProperties,
                  kafkaTimeoutSeconds * 1000L),
              selected);
    };
  }

  /** [start, end) in epoch ms from the options, then the config, then the mode's defaults. */
  long[] timeRange(SimConfig cfg) {
    if (start != null && fromDaysAgo != null) {
      throw new ConfigException("give --start or --from, not both");
    }
    if (end != null && toDaysAgo != null) {
      throw new ConfigException("give --end or --to, not both");
    }
    long today = now.truncatedTo(ChronoUnit.DAYS).toEpochMilli();
    Long s = null;
    if (start != null) {
      s = parseTime("--start", start);
    } else if (fromDaysAgo != null) {
      s = today - fromDaysAgo * Calendar.DAY;
    } else if (cfg.startDate().isPresent()) {
      s = parseTime("config start-date", cfg.startDate().get());
    }
    Long e = null;
    if (end != null) {
      e = parseTime("--end", end);
    } else if (toDaysAgo != null) {
      e = today - toDaysAgo * Calendar.DAY;
    } else if (cfg.endDate().isPresent()) {
      e = parseTime("config end-date", cfg.endDate().get());
    }
    if (s == null) {
      s =
          mode == Mode.historical
              ? (e != null ? e - Calendar.DAY : today - Calendar.DAY)
              : now.toEpochMilli();
    }
    if (e == null) {
      e = mode == Mode.historical ? s + Calendar.DAY : Long.MAX_VALUE;
    }
    if (e <= s) {
      throw new ConfigException(
          "the end ("
              + Instant.ofEpochMilli(e)
              + ") must be after the start ("
              + Instant.ofEpochMilli(s)
              + ")");
    }
    return new long[] {s, e};
  }

  /** A UTC date or date-time option: 2026-11-22 or 2026-11-22T13:00[:00][Z]; epoch millis. */
  public static long parseTime(String what, String text) {
    String t = text.trim();
    try {
      if (t.length() == 10) {
        return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
      }
      if (t.endsWith("Z") || t.endsWith("z")) {
        t = t.substring(0, t.length() - 1);
      }
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException ex) {
      throw new ConfigException(
          what
              + ": '"
              + text
              + "' is not a UTC date or date-time such as"
              + " 2026-11-22 or 2026-11-22T13:00:00Z");
    }
  }

  /** Progress on stderr: a line every few seconds, then a summary with the rate. */
  static final class ProgressReporter {
    private final PrintStream err;
    private final boolean quiet;
    private final long startNanos = System.nanoTime();
    private final long simulatedStart;
    private long lastReport = System.nanoTime();
    private long records;

    ProgressReporter(PrintStream err, boolean quiet, long simulatedStart) {
      this.err = err;
      this.quiet = quiet;
      this.simulatedStart = simulatedStart;
    }

    void report(long simulatedTime, long totalRecords, long activeUsers, boolean done) {
      records = totalRecords;
      long t = System.nanoTime();
      if (quiet || done || t - lastReport < 5_000_000_000L) {
        return;
      }
      lastReport = t;
      double secs = (t - startNanos) / 1e9;
      err.printf(
          Locale.ROOT,
          "  simulated up to %s  %,d events  %,.0f events/s  %,d users active%n",
          Instant.ofEpochMilli(Math.max(simulatedTime, simulatedStart)),
          totalRecords,
          totalRecords / secs,
          activeUsers);
    }

    void summary(long[] counts, long usersCreated) {
      double secs = (System.nanoTime() - startNanos) / 1e9;
      StringBuilder sb = new StringBuilder();
      for (Topic t : Topic.values()) {
        sb.append(sb.length() == 0 ? "" : ", ")
            .append(t.topicName())
            .append(' ')
            .append(String.format(Locale.ROOT, "%,d", counts[t.ordinal()]));
      }
      err.printf(
          Locale.ROOT,
          "streamify generate: wrote %,d events (%s) for %,d users in %.1f s"
              + " (%,.0f events/s)%s%n",
          records,
          sb,
          usersCreated,
          secs,
          records / Math.max(secs, 1e-9),
          peakMemory());
    }

    /** The process's peak resident memory, where Linux tells it. */
    private static String peakMemory() {
      long kib = PeakMemory.kib(ProcessHandle.current().pid());
      return kib == 0 ? "" : String.format(Locale.ROOT, ", peak memory %,d MiB", kib / 1024);
    }
  }
}
