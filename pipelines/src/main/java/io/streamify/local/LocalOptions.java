package io.streamify.local;

import io.streamify.generator.catalog.CatalogLoader;
import io.streamify.generator.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of {@code streamify local} (a picocli mixin of {@link LocalStack}) and the checks
 * that need nothing but them. Every option that takes a value shows an example.
 */
final class LocalOptions {
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

  /**
   * Checks the options that need nothing but themselves.
   *
   * @throws UsageException the first mistake, in one line
   */
  void validate() {
    if (users < 1) {
      throw new LocalStack.UsageException("--users must be >= 1");
    }
    if (!(growthRate >= 0)) {
      throw new LocalStack.UsageException("--growth-rate must be >= 0");
    }
    if (!(speed > 0)) {
      throw new LocalStack.UsageException("--speed must be > 0");
    }
    if (hours < 0) {
      throw new LocalStack.UsageException("--hours must be >= 0");
    }
    if (port < 0 || port > 65535 || kafkaPort < 0 || kafkaPort > 65535) {
      throw new LocalStack.UsageException("ports are 0..65535");
    }
    if (allowedLatenessMinutes < 0) {
      throw new LocalStack.UsageException("--allowed-lateness must be >= 0");
    }
    if (warehouse != null && !warehouse.toString().endsWith(".duckdb")) {
      throw new LocalStack.UsageException("--warehouse must be a file ending in .duckdb");
    }
    if (catalog != null) {
      List<Path> files = new ArrayList<>();
      for (String f : catalog.split(",")) {
        if (!f.isBlank() && !Files.isRegularFile(Path.of(f.strip()))) {
          throw new LocalStack.UsageException("catalog " + f.strip() + " does not exist");
        }
        if (!f.isBlank()) {
          files.add(Path.of(f.strip()));
        }
      }
      try {
        // read once up front (the generator reads it again): a file that is not a catalog is
        // a usage mistake found before anything starts
        CatalogLoader.load(files);
      } catch (ConfigException e) {
        throw new LocalStack.UsageException(e.getMessage());
      }
    }
  }

  /**
   * The simulated start: {@code --start}, else where the previous run stopped, else the start of
   * the current hour a day ago (with {@code --hours}, early enough to end before {@code now}).
   *
   * @throws UsageException a bad --start, one before 1970, or hours that would end after now
   */
  Instant simulatedStart(LocalState previous, Instant now) {
    Instant s;
    if (start != null) {
      try {
        s = Instant.ofEpochMilli(LocalChecks.parseStart(start));
      } catch (IllegalArgumentException e) {
        throw new LocalStack.UsageException(e.getMessage());
      }
    } else if (previous != null) {
      s = Instant.ofEpochMilli(previous.resumeAt());
    } else {
      long back = Math.max(24, hours + 1L);
      s = now.truncatedTo(ChronoUnit.HOURS).minus(back, ChronoUnit.HOURS);
    }
    if (s.isBefore(Instant.EPOCH)) {
      throw new LocalStack.UsageException(
          "--start must be 1970 or later (event times are ms since" + " 1970-01-01 UTC), got " + s);
    }
    if (hours > 0 && s.plus(hours, ChronoUnit.HOURS).isAfter(now)) {
      // Once the generator stops, the watermark follows the wall clock: hours after now would
      // not close until real time reached them.
      throw new LocalStack.UsageException(
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
}
