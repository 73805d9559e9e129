package io.streamify.local;

import io.streamify.dashboard.Dashboard;
import io.streamify.dashboard.DashboardServer;
import io.streamify.dashboard.DuckDbQueries;
import io.streamify.generator.catalog.CatalogLoader;
import io.streamify.generator.catalog.SyntheticCatalog;
import io.streamify.hourly.LoadPlan;
import io.streamify.kafka.LocalKafka;
import io.streamify.lake.LakeLayout;
import io.streamify.stream.StreamPipeline;
import io.streamify.warehouse.LoadCatalog;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.beam.sdk.PipelineResult;

/**
 * How {@code streamify local} starts each of its parts; a part that cannot start for a reason the
 * user can fix (a taken port, a warehouse another process holds) is a {@link
 * LocalStack.UsageException} in one line.
 */
final class StackStart {
  /** How far ahead of the wall clock the stack's stream accepts events: a year. */
  static final int SIMULATION_AHEAD_MINUTES = 525_600;

  private StackStart() {}

  /** The dashboard's read-only queries of the warehouse. */
  static DuckDbQueries warehouseQueries(Path warehouseFile) {
    try {
      return new DuckDbQueries(warehouseFile.toString());
    } catch (SQLException e) {
      throw new LocalStack.UsageException(
          "cannot open the warehouse "
              + warehouseFile
              + ": "
              + firstLine(e.getMessage())
              + " (is another streamify local using it?)");
    }
  }

  /** The dashboard on 127.0.0.1:port (0: a free port). */
  static DashboardServer dashboard(DuckDbQueries queries, int port) throws IOException {
    try {
      return DashboardServer.start(new Dashboard(queries), port);
    } catch (BindException e) {
      throw new LocalStack.UsageException(
          "port "
              + port
              + " is already in use (choose another with"
              + " --port, or --port 0 for a free one)");
    }
  }

  /** The broker, its data and log in {@code dir}, with four partitions per topic. */
  static LocalKafka kafka(int port, Path dir) throws IOException {
    try {
      LocalKafka kafka = LocalKafka.start(port, dir, 4);
      kafka.stopOnlyOnClose();
      return kafka;
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("is in use")) {
        throw new LocalStack.UsageException(
            "Kafka port "
                + port
                + " is already in use (choose another"
                + " with --kafka-port, or 0 for any free one)");
      }
      throw e;
    }
  }

  /**
   * Writes the song catalog into the lake unless it has one and no {@code --catalog} was given: the
   * catalog files {@code catalog} names (comma-separated), else a synthetic one. Returns what was
   * written, for the stack's line, or empty.
   */
  static Optional<String> catalog(Path lakeDir, boolean given, String catalog) throws IOException {
    Path catalogFile = lakeDir.resolve(LakeLayout.CATALOG_FOLDER).resolve("songs.parquet");
    if (Files.exists(catalogFile) && !given) {
      return Optional.empty();
    }
    var songs =
        catalog == null
            ? SyntheticCatalog.build(SyntheticCatalog.DEFAULT_SIZE)
            : CatalogLoader.load(
                Arrays.stream(catalog.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .map(Path::of)
                    .toList());
    LoadCatalog.load(songs, lakeDir.toString());
    return Optional.of(songs.description() + " → " + catalogFile);
  }

  /**
   * The stream pipeline, started on the DirectRunner without blocking, through the launch every
   * starter shares ({@link StreamPipeline#options}); its consumer group prepared first.
   */
  static PipelineResult stream(String bootstrapServers, Path lakeDir, String launch, int lateness)
      throws Exception {
    // blockOnRun=false: the DirectRunner returns at once, the stack goes on starting things
    String[] args = {
      "--runner=DirectRunner",
      "--blockOnRun=false",
      "--bootstrapServers=" + bootstrapServers,
      "--lake=" + lakeDir,
      "--consumerGroup=" + LocalStack.CONSUMER_GROUP,
      "--launchId=" + launch,
      "--allowedLatenessMinutes=" + lateness,
      // the accelerated simulation runs ahead of the wall clock once it has caught up with it
      "--maxEventAheadMinutes=" + SIMULATION_AHEAD_MINUTES
    };
    StreamPipeline.Options o = StreamPipeline.options(args);
    StreamPipeline.prepareConsumerGroup(o);
    return StreamPipeline.pipeline(o).run();
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

  private static String firstLine(String s) {
    return s == null ? "" : s.strip().lines().findFirst().orElse("");
  }
}
