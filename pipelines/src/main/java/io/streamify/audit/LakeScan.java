package io.streamify.audit;

import io.streamify.events.LakeTable;
import io.streamify.lake.LakeLayout;
import io.streamify.lake.ReadParquetFiles;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * What the lake holds, read through Beam's file systems (a local folder or gs://) with only the
 * columns an audit needs: per event table and hour the rows, files and distinct events; and the
 * ledger, every Kafka offset an event row or a dead letter came from.
 */
final class LakeScan {
  static final long HOUR = 3_600_000L;
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  /** One table's hour in the lake. */
  record HourStats(long rows, long files, long events) {}

  /** Per event table: hour start → what the lake holds. */
  final Map<LakeTable, TreeMap<Long, HourStats>> hours = new HashMap<>();

  /** Per topic and partition: every offset read, as often as the lake holds it. */
  final Map<String, Map<Integer, Offsets>> ledger = new TreeMap<>();

  /** Per hour, when its newest event file was written (epoch ms). */
  final Map<Long, Long> newestFile = new HashMap<>();

  /** Event rows written before rows carried their Kafka coordinates. */
  long rowsWithoutLedger;

  long files;

  /** Files that could not be read: path → why. Their rows are not counted. */
  final Map<String, String> unreadable = new TreeMap<>();

  /** A growable list of offsets, sorted on demand. */
  static final class Offsets {
    long[] values = new long[64];
    int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] sorted() {
      long[] s = Arrays.copyOf(values, size);
      Arrays.sort(s);
      return s;
    }
  }

  private static final Schema EVENT_COLUMNS =
      SchemaBuilder.record("AuditEvent")
          .fields()
          .name("ts")
          .type()
          .longType()
          .noDefault()
          .name("sessionId")
          .type()
          .longType()
          .noDefault()
          .name("itemInSession")
          .type()
          .intType()
          .noDefault()
          .name(LakeTable.KAFKA_PARTITION)
          .type()
          .optional()
          .intType() // absent in older files
          .name(LakeTable.KAFKA_OFFSET)
          .type()
          .optional()
          .longType()
          .endRecord();

  private static final Schema DEAD_LETTER_COLUMNS =
      SchemaBuilder.record("AuditDeadLetter")
          .fields()
          .name("topic")
          .type()
          .stringType()
          .noDefault()
          .name("partition")
          .type()
          .intType()
          .noDefault()
          .name("offset")
          .type()
          .longType()
          .noDefault()
          .endRecord();

  /**
   * Scans the event files and dead letters of the hours from {@code fromHour} to {@code toHour}
   * (epoch ms, both included; {@code Long.MIN_VALUE}/{@code MAX_VALUE} for all): the caller widens
   * the range by the margin its Kafka offsets need, and reports only the hours it audits.
   */
  static LakeScan scan(
      String lake, String deadLetterPath, String topicPrefix, long fromHour, long toHour)
      throws IOException {
    LakeScan scan = new LakeScan();
    for (LakeTable t : LakeTable.values()) {
      TreeMap<Long, HourStats> perHour = new TreeMap<>();
      boolean event = t.isEvent();
      // Dead letters are few and filed by arrival, which an odd batch can place far from the
      // events' hours: the ledger reads all of them, whatever the hours audited.
      long from = event ? fromHour : Long.MIN_VALUE;
      long to = event ? toHour : Long.MAX_VALUE;
      TreeMap<Long, List<MatchResult.Metadata>> byHour = new TreeMap<>();
      String root =
          event || deadLetterPath.isEmpty() ? LakeLayout.resolve(lake, t.folder()) : deadLetterPath;
      for (MatchResult.Metadata f : files(root, from, to)) {
        long hour = LakeLayout.hourOf(f.resourceId().toString());
        if (hour >= from && hour <= to) {
          byHour.computeIfAbsent(hour, h -> new ArrayList<>()).add(f);
        }
      }
      String topic = topicPrefix + t.tableName();
      for (var e : byHour.entrySet()) {
        long[] rows = {0};
        Set<String> events = new HashSet<>();
        for (MatchResult.Metadata f : e.getValue()) {
          scan.files++;
          try {
            scan.readFile(f, event, e.getKey(), topic, rows, events);
          } catch (IOException | RuntimeException x) {
            scan.unreadable.put(
                f.resourceId().toString(),
                String.valueOf(x.getMessage()).lines().findFirst().orElse(""));
          }
        }
        perHour.put(e.getKey(), new HourStats(rows[0], e.getValue().size(), events.size()));
      }
      scan.hours.put(t, perHour);
    }
    return scan;
  }

  /** Reads one file's audit columns into the counts and the ledger. */
  private void readFile(
      MatchResult.Metadata f,
      boolean event,
      long hour,
      String topic,
      long[] rows,
      Set<String> events)
      throws IOException {
    if (!event) {
      ReadParquetFiles.read(
          f,
          DEAD_LETTER_COLUMNS,
          r -> {
            rows[0]++;
            offsets(r.get("topic").toString(), (Integer) r.get("partition"))
                .add((Long) r.get("offset"));
          });
      return;
    }
    newestFile.merge(hour, f.lastModifiedMillis(), Math::max);
    ReadParquetFiles.read(
        f,
        EVENT_COLUMNS,
        r -> {
          rows[0]++;
          events.add(r.get("sessionId") + "/" + r.get("itemInSession"));
          Object partition = r.get(LakeTable.KAFKA_PARTITION);
          Object offset = r.get(LakeTable.KAFKA_OFFSET);
          if (partition == null || offset == null) {
            rowsWithoutLedger++;
          } else {
            offsets(topic, (Integer) partition).add((Long) offset);
          }
        });
  }

  OptionalLong newestFile(long hour) {
    Long t = newestFile.get(hour);
    return t == null ? OptionalLong.empty() : OptionalLong.of(t);
  }

  Offsets offsets(String topic, int partition) {
    return ledger
        .computeIfAbsent(topic, x -> new TreeMap<>())
        .computeIfAbsent(partition, x -> new Offsets());
  }

  /** A table's files (under its root) in the hour range: one listing per day, or one of all. */
  private static List<MatchResult.Metadata> files(String root, long from, long to)
      throws IOException {
    List<String> patterns = new ArrayList<>();
    if (from == Long.MIN_VALUE || to == Long.MAX_VALUE || to - from > 400L * 24 * HOUR) {
      patterns.add(LakeLayout.resolve(root, "dt=*/hr=*/*.parquet"));
    } else {
      for (long day = Math.floorDiv(from, 24 * HOUR) * 24 * HOUR; day <= to; day += 24 * HOUR) {
        patterns.add(
            LakeLayout.resolve(
                root, "dt=" + DAY.format(Instant.ofEpochMilli(day)) + "/hr=*/*.parquet"));
      }
    }
    List<MatchResult.Metadata> out = new ArrayList<>();
    for (MatchResult m : FileSystems.match(patterns, EmptyMatchTreatment.ALLOW)) {
      if (m.status() == MatchResult.Status.OK) {
        out.addAll(m.metadata());
      }
    }
    return out;
  }

  static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }
}
