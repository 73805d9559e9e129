package io.streamify.audit;

import io.streamify.cli.VersionProvider;
import io.streamify.events.LakeTable;
import io.streamify.lake.ClosedMarks;
import io.streamify.lake.Hours;
import io.streamify.warehouse.DuckDbWarehouse;
import io.streamify.warehouse.WarehouseTable;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code streamify audit}: proves, per topic and hour, that every record is accounted for
 * (docs/delivery.md).
 *
 * <ol>
 *   <li><b>Kafka → lake</b> (with {@code --bootstrapServers}): every offset of every partition is
 *       in the lake, as an event row (its {@code kafka_partition}, {@code kafka_offset}) or a dead
 *       letter; an offset that holds no record for a read_committed reader (a transaction marker,
 *       an aborted record) is not counted. An offset read twice (a restarted job's re-read) is
 *       named, not an error. A missing offset is fetched from Kafka: if its event's hour is still
 *       open it is in flight; at or past the consumer group's committed offset it is not written
 *       yet (the stream job commits an offset once every record before it is in the lake);
 *       otherwise it is a gap.
 *   <li><b>Lake → warehouse</b> (with {@code --warehouse}), per event table and hour: once the hour
 *       is closed it must be loaded (a load manifest), unchanged since (the manifest's mark version
 *       is the hour's, its lake rows the lake's now), and add up: lake rows = raw rows + rejected
 *       rows + duplicates removed, and fact rows = raw rows, counted in the warehouse.
 * </ol>
 *
 * Prints a table of each, names every gap with examples, and exits 1 on any gap, 0 when every
 * record is accounted for (open hours and records in flight are listed, and are not gaps), 2 on a
 * usage mistake.
 */
@Command(
    name = "streamify audit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpWidth = 100,
    customSynopsis = "streamify audit --lake=DIR|gs://BUCKET/PREFIX [OPTIONS]",
    sortOptions = false,
    description = {
      "Reconciles Kafka, the lake and the warehouse per topic and hour: every"
          + " record read is an event row or a dead letter in the lake, and every closed hour's"
          + " rows are in the warehouse's raw and fact tables or its rejects table.",
      "Exit code: 0 all accounted for, 1 a gap (named), 2 a usage mistake."
    })
public final class Audit implements Callable<Integer> {
  @Option(
      names = "--lake",
      required = true,
      paramLabel = "DIR|gs://BUCKET/PREFIX",
      description = {"The data lake.", "e.g. --lake=streamify-data/lake"})
  String lake;

  @Option(
      names = "--warehouse",
      paramLabel = "FILE.duckdb|PROJECT:DATASET",
      description = {
        "The warehouse to reconcile the lake with (default: none).",
        "e.g. --warehouse=streamify-data/warehouse.duckdb"
      })
  String warehouse;

  @Option(
      names = "--bootstrapServers",
      paramLabel = "HOST:PORT",
      description = {
        "Kafka, to reconcile the lake with (default: none).",
        "e.g. --bootstrapServers=localhost:9092"
      })
  String bootstrapServers;

  @Option(
      names = "--deadLetterPath",
      paramLabel = "DIR|gs://…",
      description = {
        "Where the"
            + " stream job writes dead letters, if not <lake>/deadletter (its --deadLetterPath).",
        "e.g. --deadLetterPath=gs://my-bucket/deadletter"
      })
  String deadLetterPath = "";

  @Option(
      names = "--topicPrefix",
      paramLabel = "P",
      description = {"Prefix of the topic names" + " (default: none).", "e.g. --topicPrefix=test_"})
  String topicPrefix = "";

  @Option(
      names = "--consumerGroup",
      paramLabel = "GROUP",
      description = {
        "The stream job's"
            + " consumer group: it commits an offset once every record before it is in the lake, so"
            + " a missing offset at or past its commits is not written yet (default: none).",
        "e.g. --consumerGroup=streamify-local"
      })
  String consumerGroup;

  @Option(
      names = "--kafkaProperty",
      paramLabel = "K=V",
      description = {
        "A Kafka client" + " setting (SASL/TLS ...); repeatable.",
        "e.g. --kafkaProperty=security.protocol=SASL_SSL"
      })
  List<String> kafkaProperties = new ArrayList<>();

  @Option(
      names = "--from",
      paramLabel = "HOUR",
      description = {
        "First hour, like" + " 2026-11-24T13 (default: the lake's first).",
        "e.g. --from=2026-11-24T00"
      })
  String from;

  @Option(
      names = "--to",
      paramLabel = "HOUR",
      description = {
        "Last hour, included (default:" + " the lake's last).",
        "e.g. --to=2026-11-24T23"
      })
  String to;

  @Option(
      names = "--examples",
      paramLabel = "N",
      description = {"Examples per gap (default:" + " ${DEFAULT-VALUE}).", "e.g. --examples=10"})
  int examples = 3;

  /** The most missing offsets of a partition read back from Kafka to tell why they are missing. */
  static final int MAX_FETCH = 20_000;

  private final PrintStream out;

  Audit(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the audit, its report and its errors on {@code out}; returns its exit code. */
  public static int run(String[] args, PrintStream out) {
    return run(args, out, out);
  }

  /**
   * Runs the audit: the report on {@code out}, a mistake or failure as one line on {@code err};
   * returns the exit code (0 every record accounted for, 1 a gap or a failure, 2 usage).
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cmd = new CommandLine(new Audit(out));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    cmd.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("streamify audit: " + ex.getMessage() + " (see --help)");
          return 2;
        });
    cmd.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          if (ex instanceof IllegalArgumentException) {
            err.println("streamify audit: " + ex.getMessage());
            return 2;
          }
          Throwable t = ex;
          while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
          }
          err.println(
              "streamify audit: cannot audit: "
                  + t.getClass().getSimpleName()
                  + ": "
                  + t.getMessage());
          return 1;
        });
    return cmd.execute(args);
  }

  /** A gap: what is not accounted for, in a line, with examples. */
  private final List<String> gaps = new ArrayList<>();

  private final List<String> notes = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    long fromHour = from == null ? Long.MIN_VALUE : Hours.parse(from).toEpochMilli();
    long toHour = to == null ? Long.MAX_VALUE : Hours.parse(to).toEpochMilli();
    if (fromHour > toHour) {
      throw new IllegalArgumentException("--from is after --to");
    }
    if (!lake.contains("://") && !Files.isDirectory(Path.of(lake))) {
      throw new IllegalArgumentException("no lake at " + lake);
    }
    Map<String, String> clientProps = new LinkedHashMap<>();
    for (String kv : kafkaProperties) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--kafkaProperty takes key=value, got '" + kv + "'");
      }
      clientProps.put(kv.substring(0, eq).trim(), kv.substring(eq + 1));
    }
    if (warehouse != null
        && warehouse.endsWith(".duckdb")
        && !Files.isRegularFile(Path.of(warehouse))) {
      throw new IllegalArgumentException("no warehouse at " + warehouse);
    }
    if (warehouse != null && warehouse.endsWith(".duckdb")) {
      DuckDbWarehouse.notADuckDbDatabase(Path.of(warehouse))
          .ifPresent(
              why -> {
                throw new IllegalArgumentException(
                    warehouse + " is not a DuckDB database (" + why + ")");
              });
    }
    long started = System.nanoTime();
    out.println(
        "streamify audit: lake "
            + lake
            + (warehouse == null ? "" : ", warehouse " + warehouse)
            + (bootstrapServers == null ? "" : ", Kafka " + bootstrapServers)
            + (from == null && to == null
                ? ""
                : ", hours " + (from == null ? "…" : from) + " to " + (to == null ? "…" : to)));
    // The ledger needs the rows of every offset Kafka's range covers: a day either side.
    long day = 24 * LakeScan.HOUR;
    LakeScan scan =
        LakeScan.scan(
            lake,
            deadLetterPath,
            topicPrefix,
            LakeScan.saturatedAdd(fromHour, -day),
            LakeScan.saturatedAdd(toHour, day));
    Closedness closed = Closedness.read(lake);
    if (bootstrapServers != null) {
      kafkaToLake(scan, closed, clientProps, fromHour, toHour);
    } else {
      notes.add("no --bootstrapServers: the lake was not reconciled with Kafka");
    }
    lakeToWarehouse(scan, closed, fromHour, toHour);
    scan.unreadable.forEach(
        (file, why) ->
            gaps.add("unreadable lake file " + file + ": " + why + " (its rows are not counted)"));
    if (scan.rowsWithoutLedger > 0) {
      notes.add(
          String.format(
              Locale.ROOT,
              "%,d event rows were written before rows carried"
                  + " their Kafka coordinates: the ledger cannot place them",
              scan.rowsWithoutLedger));
    }
    notes.forEach(n -> out.println("  note: " + n));
    double seconds = (System.nanoTime() - started) / 1e9;
    if (gaps.isEmpty()) {
      out.printf(
          Locale.ROOT,
          "streamify audit: every record accounted for (%,d lake files," + " %.1f s)%n",
          scan.files,
          seconds);
      return 0;
    }
    out.printf(
        Locale.ROOT,
        "streamify audit: %d gap%s (%.1f s):%n",
        gaps.size(),
        gaps.size() == 1 ? "" : "s",
        seconds);
    gaps.forEach(g -> out.println("  - " + g));
    return 1;
  }

  private List<String> topics() {
    List<String> topics = new ArrayList<>();
    for (LakeTable t : LakeTable.values()) {
      if (t.isEvent()) {
        topics.add(topicPrefix + t.tableName());
      }
    }
    return topics;
  }

  /** Every offset read is an event row or a dead letter in the lake. */
  private void kafkaToLake(
      LakeScan scan, Closedness closed, Map<String, String> clientProps, long fromHour, long toHour)
      throws Exception {
    out.println("Kafka → lake: every offset is an event row or a dead letter");
    out.printf(
        "  %-26s %12s %12s %12s %10s %12s %10s%n",
        "topic", "offsets", "in lake", "read twice", "in flight", "uncommitted", "missing");
    long day = 24 * LakeScan.HOUR;
    Optional<Long> fromTime =
        fromHour == Long.MIN_VALUE ? Optional.empty() : Optional.of(fromHour - day);
    Optional<Long> toTime =
        toHour == Long.MAX_VALUE ? Optional.empty() : Optional.of(toHour + LakeScan.HOUR + day);
    try (KafkaLedger kafka = new KafkaLedger(bootstrapServers, clientProps)) {
      Set<String> existing = kafka.topics(topics());
      for (String topic : topics()) {
        long rows =
            scan.ledger.getOrDefault(topic, Map.of()).values().stream()
                .mapToLong(o -> o.size)
                .sum();
        if (!existing.contains(topic) && rows > 0) {
          gaps.add(
              String.format(
                  Locale.ROOT,
                  "topic %s is not at %s, yet the lake holds %,d rows"
                      + " read from it (another broker, or --topicPrefix?)",
                  topic,
                  bootstrapServers,
                  rows));
        }
      }
      if (existing.isEmpty()) {
        gaps.add(
            "no event topic"
                + (topicPrefix.isEmpty() ? "" : " with prefix \"" + topicPrefix + "\"")
                + " at "
                + bootstrapServers
                + ": nothing there to reconcile the lake with");
      }
      Map<String, long[]> totals = new TreeMap<>();
      for (KafkaLedger.Range r :
          kafka.ranges(topics(), Optional.ofNullable(consumerGroup), fromTime, toTime)) {
        String topic = r.partition().topic();
        LakeScan.Offsets seen =
            scan.ledger.getOrDefault(topic, Map.of()).get(r.partition().partition());
        long[] sorted = seen == null ? new long[0] : seen.sorted();
        long inLake = 0;
        long twice = 0;
        List<Long> missing = new ArrayList<>();
        int i = 0;
        for (long o = r.start(); o < r.end(); o++) {
          while (i < sorted.length && sorted[i] < o) {
            i++;
          }
          int copies = 0;
          while (i < sorted.length && sorted[i] == o) {
            copies++;
            i++;
          }
          if (copies > 0) {
            inLake++;
            twice += copies - 1;
          } else {
            missing.add(o);
          }
        }
        long uncommitted = 0;
        long inFlight = 0;
        List<Long> gap = new ArrayList<>();
        List<Long> toFetch = new ArrayList<>();
        for (long o : missing) {
          if (r.committed().isPresent() && o >= r.committed().get()) {
            uncommitted++;
          } else if (toFetch.size() < MAX_FETCH) {
            toFetch.add(o);
          } else {
            gap.add(o); // not examined: counted as gaps, and said so below
          }
        }
        KafkaLedger.Fetched read = kafka.fetch(r.partition(), toFetch);
        Map<Long, KafkaLedger.Missing> fetched = read.records();
        List<String> gapExamples = new ArrayList<>();
        long noRecord = 0;
        for (long o : toFetch) {
          if (read.noRecord().contains(o)) {
            noRecord++; // a transaction marker or an aborted record: nothing to lose
            continue;
          }
          KafkaLedger.Missing m = fetched.get(o);
          long hour =
              m == null || m.eventTime() == Long.MIN_VALUE
                  ? Long.MIN_VALUE
                  : Math.floorDiv(m.eventTime(), LakeScan.HOUR) * LakeScan.HOUR;
          if (m != null && hour != Long.MIN_VALUE && (hour < fromHour || hour > toHour)) {
            continue; // an event of an hour outside the audit
          }
          if (m != null && hour != Long.MIN_VALUE && !closed.isClosed(hour, scan)) {
            inFlight++;
          } else {
            gap.add(o);
            if (gapExamples.size() < examples) {
              gapExamples.add(
                  "offset " + o + (m == null ? " (not readable in Kafka)" : ": " + m.excerpt()));
            }
          }
        }
        if (!gap.isEmpty()) {
          int unexamined = Math.max(0, missing.size() - (int) uncommitted - MAX_FETCH);
          gaps.add(
              String.format(
                  Locale.ROOT,
                  "%s partition %d: %,d offset%s in Kafka but not" + " in the lake (%s)%s, e.g. %s",
                  topic,
                  r.partition().partition(),
                  gap.size(),
                  gap.size() == 1 ? "" : "s",
                  ranges(gap),
                  unexamined == 0
                      ? ""
                      : String.format(
                          Locale.ROOT, "; %,d of them not read back from Kafka", unexamined),
                  String.join("; ", gapExamples)));
        }
        long[] t = totals.computeIfAbsent(topic, x -> new long[6]);
        t[0] += r.end() - r.start() - noRecord;
        t[1] += inLake;
        t[2] += twice;
        t[3] += inFlight;
        t[4] += uncommitted;
        t[5] += gap.size();
      }
      totals.forEach(
          (topic, t) ->
              out.printf(
                  Locale.ROOT,
                  "  %-26s %,12d %,12d %,12d %,10d %,12d %,10d%n",
                  topic,
                  t[0],
                  t[1],
                  t[2],
                  t[3],
                  t[4],
                  t[5]));
    }
  }

  /** Offsets as ranges, e.g. "120-135, 200". */
  static String ranges(List<Long> offsets) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < offsets.size() && parts.size() < 5; ) {
      int j = i;
      while (j + 1 < offsets.size() && offsets.get(j + 1) == offsets.get(j) + 1) {
        j++;
      }
      parts.add(i == j ? "" + offsets.get(i) : offsets.get(i) + "-" + offsets.get(j));
      i = j + 1;
    }
    return String.join(", ", parts) + (parts.size() == 5 ? ", …" : "");
  }

  /** Every closed hour's lake rows are in the warehouse, unchanged, and add up. */
  private void lakeToWarehouse(LakeScan scan, Closedness closed, long fromHour, long toHour)
      throws Exception {
    TreeSet<Long> hours = new TreeSet<>();
    scan.hours.forEach(
        (t, perHour) -> {
          if (t.isEvent()) {
            hours.addAll(perHour.subMap(fromHour, true, toHour, true).keySet());
          }
        });
    if (hours.isEmpty()) {
      out.println("Lake → warehouse: the lake has no event in these hours");
      return;
    }
    WarehouseCounts w = null;
    if (warehouse != null) {
      long first = Math.max(fromHour, hours.first());
      long last = Math.min(toHour, hours.last()) + LakeScan.HOUR;
      w =
          warehouse.endsWith(".duckdb")
              ? WarehouseCounts.duckDb(warehouse, first, last)
              : WarehouseCounts.bigQuery(warehouse, first, last);
    } else {
      notes.add("no --warehouse: the lake was not reconciled with a warehouse");
    }
    out.println("Lake → warehouse: lake rows = raw + rejected + duplicates removed; facts = raw");
    out.printf(
        "  %-14s %-22s %9s %8s %9s %9s %9s  %s%n",
        "hour", "table", "lake", "dups", "rejected", "raw", "facts", "status");
    for (long hour : hours) {
      for (LakeTable t : LakeTable.values()) {
        if (!t.isEvent()) {
          continue;
        }
        LakeScan.HourStats lake =
            scan.hours.get(t).getOrDefault(hour, new LakeScan.HourStats(0, 0, 0));
        String at = Hours.format(Instant.ofEpochMilli(hour));
        if (w == null) {
          out.printf(
              Locale.ROOT,
              "  %-14s %-22s %,9d %8s %9s %9s %9s  %s%n",
              at,
              t.tableName(),
              lake.rows(),
              "",
              "",
              "",
              "",
              closed.isClosed(hour, scan) ? "closed" : "open");
          continue;
        }
        WarehouseTable raw = WarehouseTable.valueOf(t.name());
        WarehouseTable fact = factOf(raw);
        long rawRows = w.rows(raw, hour);
        long facts = w.rows(fact, hour);
        long rejected = w.rejects(t.tableName(), hour);
        WarehouseCounts.Manifest m = w.manifest(t.tableName(), hour);
        long dups = m == null ? 0 : m.duplicateRows();
        String status;
        if (!closed.isClosed(hour, scan)) {
          status = "open";
        } else if (m == null) {
          status = "NOT LOADED";
          gaps.add(
              at
                  + " "
                  + t.tableName()
                  + ": closed but not loaded ("
                  + lake.rows()
                  + " lake rows not in the warehouse)");
        } else if (!closed.version(hour).equals(m.closedVersion()) || m.lakeRows() != lake.rows()) {
          status = "CHANGED";
          gaps.add(
              String.format(
                  Locale.ROOT,
                  "%s %s: the lake changed after its load (%,d rows"
                      + " now, %,d loaded): the next catch-up reloads it if the stream marked it again;"
                      + " else streamify hourly --hour=%s --lookbackHours=0",
                  at,
                  t.tableName(),
                  lake.rows(),
                  m.lakeRows(),
                  at));
        } else if (lake.rows() != rawRows + rejected + dups
            || facts != rawRows
            || m.rawRows() != rawRows
            || m.rejectedRows() != rejected
            || rawRows > lake.events()) {
          status = "MISMATCH";
          gaps.add(
              String.format(
                  Locale.ROOT,
                  "%s %s: lake %,d ≠ raw %,d + rejected %,d +"
                      + " duplicates %,d, or facts %,d ≠ raw (the load recorded raw %,d, rejected"
                      + " %,d)",
                  at,
                  t.tableName(),
                  lake.rows(),
                  rawRows,
                  rejected,
                  dups,
                  facts,
                  m.rawRows(),
                  m.rejectedRows()));
        } else {
          status = "ok";
        }
        if (lake.rows() > 0 || m != null || !status.equals("ok")) {
          out.printf(
              Locale.ROOT,
              "  %-14s %-22s %,9d %,8d %,9d %,9d %,9d  %s%n",
              at,
              t.tableName(),
              lake.rows(),
              dups,
              rejected,
              rawRows,
              facts,
              status);
        }
      }
    }
  }

  private static WarehouseTable factOf(WarehouseTable raw) {
    for (WarehouseTable t : WarehouseTable.values()) {
      if (t.isFact() && t.factSource() == raw) {
        return t;
      }
    }
    throw new IllegalArgumentException("no fact table for " + raw);
  }

  /** Which hours the lake says are closed (see ClosedMarks), and their mark versions. */
  record Closedness(TreeMap<Long, String> marks, Optional<ClosedMarks.Through> through) {
    static Closedness read(String lake) throws Exception {
      TreeMap<Long, String> marks = ClosedMarks.allHourMarks(lake);
      var listed = ClosedMarks.listMarks(lake);
      Optional<ClosedMarks.Through> through =
          ClosedMarks.closedThrough(
              lake,
              Optional.ofNullable(listed.isEmpty() ? null : listed.lastEntry().getValue()),
              Optional.empty());
      return new Closedness(marks, through);
    }

    /** Marked, or closed without a mark of its own (ClosedMarks.closedWithoutMark). */
    boolean isClosed(long hour, LakeScan scan) {
      return marks.containsKey(hour)
          || ClosedMarks.closedWithoutMark(through, hour, scan.newestFile(hour));
    }

    String version(long hour) {
      return marks.getOrDefault(hour, "");
    }
  }
}
