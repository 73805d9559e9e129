package io.streamify.hourly;

import io.streamify.cli.OptionsHelp;
import io.streamify.hourly.HourlyPipeline.Options;
import io.streamify.hourly.checks.DataQualityException;
import io.streamify.lake.Hours;
import io.streamify.lake.LakeLayout;
import io.streamify.warehouse.BigQuerySql;
import io.streamify.warehouse.DuckDbWarehouse;
import io.streamify.warehouse.WarehouseTable;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/**
 * {@code streamify hourly}, the command around {@link HourlyPipeline}: the options read and
 * checked, the run planned (the catch-up, or the hours given; hours BigQuery would drop skipped or
 * refused), the pipeline run, and the outcome said in lines and an exit code.
 */
public final class HourlyCommand {
  private HourlyCommand() {}

  /**
   * Runs the pipeline as {@code streamify hourly} does and returns the exit code: 0 done (or
   * nothing to load), 1 the run failed (each failed data-quality rule on a line of its own), 2 a
   * usage mistake. Never a stack trace for either.
   */
  public static int run(String[] args, PrintStream err) {
    OptionalInt answered =
        OptionsHelp.answerIfAsked(
            args,
            Options.class,
            "hourly",
            "Loads hours of"
                + " the lake into the warehouse (DuckDB file or BigQuery dataset): de-duplicated raw tables,"
                + " rejects, facts and SCD2 dimensions, after data-quality checks; without --hour it"
                + " catches up every closed hour not loaded yet. Exit 0 loaded, 1 failed (one line per"
                + " failed check), 2 usage.",
            System.out,
            err);
    if (answered.isPresent()) {
      return answered.getAsInt();
    }
    Options options;
    try {
      options = HourlyPipeline.options(args);
      HourlyPipeline.hours(options, Instant.now()); // an unparsable hour is a usage mistake
    } catch (IllegalArgumentException e) {
      err.println("streamify hourly: " + firstLine(e.getMessage()));
      return 2;
    }
    boolean direct = options.getRunner().getSimpleName().equals("DirectRunner");
    OptionalLong expiration;
    try {
      expiration = partitionExpirationMs(options);
    } catch (Exception e) {
      err.println(
          "streamify hourly: cannot read the warehouse's partition expiration: "
              + firstLine(rootMessage(e)));
      return 1;
    }
    LoadPlan plan;
    try {
      plan = HourlyPipeline.plan(options, Instant.now(), expiration);
    } catch (Exception e) {
      err.println("streamify hourly: cannot plan the run: " + firstLine(rootMessage(e)));
      return 1;
    }
    boolean catchingUp = options.getHour().isBlank() && options.getFromHour().isBlank();
    if (catchingUp) {
      err.println(plan.backlogLine(Instant.now()));
    }
    Optional<LoadPlan> loadable =
        withoutExpiredHours(plan, expiration, !catchingUp, Instant.now(), err);
    if (loadable.isEmpty()) {
      return 2;
    }
    plan = loadable.get();
    if (plan.hours().isEmpty()) {
      if (plan.lastClosed().isEmpty()) {
        err.println(
            "streamify hourly: nothing to load: the lake has no closed hour (the stream"
                + " pipeline marks hours closed in "
                + LakeLayout.CLOSED_FOLDER
                + "/; to load hours"
                + " anyway, give --hour or --fromHour)");
        return 0;
      }
      if (direct) {
        err.println(
            "streamify hourly: nothing to load (every closed hour of the last "
                + options.getCatchUpHours()
                + " is loaded and unchanged)");
        return 0;
      }
      // A Flex Template launch must create a job: reload the last loaded hour (idempotent).
      plan = plan.orLastClosed();
    }
    Pipeline pipeline =
        HourlyPipeline.pipeline(options, plan, UUID.randomUUID().toString().substring(0, 8), null);
    err.println("streamify hourly: loading " + plan.describe());
    PipelineResult result;
    try {
      result = pipeline.run();
      if (!direct) {
        // Submitted (Dataflow): a Flex Template's launcher must return once the job is created.
        err.println("streamify hourly: submitted to " + options.getRunner().getSimpleName());
        return 0;
      }
      PipelineResult.State state = result.waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        err.println("streamify hourly: the run ended " + state);
        return 1;
      }
    } catch (RuntimeException e) {
      DataQualityException dq = DataQualityException.in(e);
      if (dq != null) {
        err.println("streamify hourly: data quality failed:");
        dq.failures().forEach(f -> err.println("  " + f));
        return 1;
      }
      err.println("streamify hourly: the run failed: " + firstLine(rootMessage(e)));
      return 1;
    }
    if (HourlyPipeline.isDuckDb(options)) {
      err.println(
          "streamify hourly: "
              + options.getWarehouse()
              + " now holds "
              + DuckDbWarehouse.summary(options.getWarehouse()));
    }
    return 0;
  }

  /**
   * A failure in one line: our own message that says what could not be done ("cannot read Parquet
   * file gs://…: …"), else the innermost cause's.
   */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null && c.getMessage().startsWith("cannot ")) {
        return c.getMessage();
      }
      t = c;
    }
    return t.getMessage() == null
        ? t.toString()
        : t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  /**
   * The hourly tables' partition expiration on a BigQuery warehouse (read from fact_streams, as
   * Terraform or the first load made it); empty on DuckDB, or without one.
   */
  static OptionalLong partitionExpirationMs(Options o) throws Exception {
    if (HourlyPipeline.isDuckDb(o)) {
      return OptionalLong.empty();
    }
    return BigQuerySql.open(o.getWarehouse(), "streamify-hourly")
        .partitionExpirationMs(WarehouseTable.FACT_STREAMS.tableName());
  }

  /**
   * The plan without hours BigQuery would drop as they load ({@link LoadPlan#expired}): given hours
   * ({@code --hour}, {@code --fromHour}) that include one are refused in one line (empty: exit 2);
   * a catch-up skips them, in one line, and loads the rest.
   */
  static Optional<LoadPlan> withoutExpiredHours(
      LoadPlan plan, OptionalLong expirationMs, boolean given, Instant now, PrintStream err) {
    List<Long> expired = LoadPlan.expired(plan.hours(), expirationMs, now);
    if (expired.isEmpty()) {
      return Optional.of(plan);
    }
    String what =
        (expired.size() == 1 ? "hour " : expired.size() + " hours, ")
            + Hours.format(Instant.ofEpochMilli(expired.get(0)))
            + (expired.size() == 1
                ? ""
                : " to " + Hours.format(Instant.ofEpochMilli(expired.get(expired.size() - 1))))
            + ": older than the warehouse's partition expiration ("
            + expirationMs.getAsLong() / 86_400_000.0
            + " days); BigQuery would drop their rows as"
            + " they load";
    if (given) {
      err.println("streamify hourly: refused: " + what.replace(".0 days", " days"));
      return Optional.empty();
    }
    err.println("streamify hourly: skipping " + what.replace(".0 days", " days"));
    return Optional.of(plan.without(expired));
  }

  private static String firstLine(String s) {
    return s == null ? "invalid options" : s.strip().lines().findFirst().orElse(s);
  }
}
