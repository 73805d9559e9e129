package io.streamify.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The stream pipeline's closed-hour marks in the lake, read and written through Beam's file
 * systems (a local folder or gs://), docs/lake-layout.md.
 *
 * <ul>
 *   <li>{@code closed/dt=…/hr=…/closed.json}: the hour had files and the watermark after the
 *       writer has passed its end plus the allowed lateness. It is written again, with a new
 *       {@code version}, whenever the hour gets files after that (arrival files, or a restarted
 *       job's re-read records), so a loader that remembers the version it loaded knows the hour
 *       changed.
 *   <li>{@code closed/watermark.json}: every hour up to {@code closedThrough} is closed, also
 *       hours in which nothing arrived. It only ever moves forward.
 * </ul>
 *
 * An hour is closed when it has a mark, or when it is at or before {@link #closedThrough} (the
 * greater of that file's hour and the latest marked hour: a later hour's mark closes every hour
 * before it) and has no event file ({@link #hasEventFiles}): an empty hour.
 */
public final class ClosedMarks {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final long HOUR = 3_600_000L;

  private ClosedMarks() {}

  /** Writes (or rewrites) an hour's mark with a fresh version; returns the version. */
  public static String markHour(String lake, long hourStart) throws IOException {
    String version = UUID.randomUUID().toString();
    write(lake, LakeLayout.closedMarker(hourStart), "{\"hour\":\"" + Instant.ofEpochMilli(hourStart)
        + "\",\"closedAt\":\"" + Instant.now() + "\",\"version\":\"" + version + "\"}\n");
    return version;
  }

  /**
   * Records that every hour up to {@code hourStart} is closed, as the stream job's launch
   * {@code launch} sees it, unless the lake already says so of a later hour (a job whose
   * watermark ran ahead of the wall clock may have written one).
   */
  public static void raiseClosedThrough(String lake, long hourStart, String launch)
      throws IOException {
    Optional<JsonNode> current = read(LakeLayout.resolve(lake, LakeLayout.CLOSED_THROUGH_MARKER));
    if (current.isPresent()) {
      long hour = Instant.parse(current.get().get("closedThrough").asText()).toEpochMilli();
      if (hour > hourStart || (hour == hourStart
          && launch.equals(current.get().path("launch").asText()))) {
        return;
      }
    }
    write(lake, LakeLayout.CLOSED_THROUGH_MARKER, "{\"closedThrough\":\""
        + Instant.ofEpochMilli(hourStart) + "\",\"launch\":\"" + launch + "\",\"at\":\""
        + Instant.now() + "\"}\n");
  }

  /** The hour {@code closed/watermark.json} names, if the file exists. */
  public static Optional<Long> readClosedThrough(String lake) throws IOException {
    return readClosedThrough(lake, Optional.empty());
  }

  /**
   * The hour {@code closed/watermark.json} names, if the file exists and, when a launch is given,
   * that launch of the stream job wrote it (a loader that must see the hours of one launch
   * closed, as {@code streamify local --hours} does, ignores what an earlier launch saw).
   */
  public static Optional<Long> readClosedThrough(String lake, Optional<String> launch)
      throws IOException {
    Optional<JsonNode> json = read(LakeLayout.resolve(lake, LakeLayout.CLOSED_THROUGH_MARKER));
    return json.filter(j -> launch.isEmpty() || launch.get().equals(j.path("launch").asText()))
        .map(j -> Instant.parse(j.get("closedThrough").asText()).toEpochMilli());
  }

  /**
   * Every hour mark in the lake from {@code fromHour} to {@code toHour} (both included; epoch
   * ms of hour starts): hour → version. One listing per day.
   */
  public static TreeMap<Long, String> hourMarks(String lake, long fromHour, long toHour)
      throws IOException {
    List<String> patterns = new ArrayList<>();
    for (long day = Math.floorDiv(fromHour, 24 * HOUR) * 24 * HOUR; day <= toHour;
        day += 24 * HOUR) {
      patterns.add(LakeLayout.resolve(lake, LakeLayout.CLOSED_FOLDER + "/dt="
          + DAY.format(Instant.ofEpochMilli(day)) + "/hr=*/closed.json"));
    }
    return marks(patterns, fromHour, toHour);
  }

  /** Every hour mark in the lake: hour → version. One listing of all of them. */
  public static TreeMap<Long, String> allHourMarks(String lake) throws IOException {
    return marks(List.of(LakeLayout.resolve(lake, LakeLayout.CLOSED_FOLDER
        + "/dt=*/hr=*/closed.json")), Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /**
   * Whether any event table has a file in the hour's partition. An hour at or before the
   * closed-through mark is closed only if it has none: files without a mark mean a launch of the
   * stream job is still writing the hour (a restarted job re-reading records, say) and will mark
   * it when it closes.
   */
  public static boolean hasEventFiles(String lake, long hourStart) throws IOException {
    List<String> patterns = new ArrayList<>();
    for (io.streamify.events.LakeTable t : io.streamify.events.LakeTable.values()) {
      if (t.isEvent()) {
        patterns.add(LakeLayout.resolve(lake, LakeLayout.partitionFolder(t, hourStart)
            + "/*.parquet"));
      }
    }
    for (MatchResult m : FileSystems.match(patterns, EmptyMatchTreatment.ALLOW)) {
      if (m.status() == MatchResult.Status.OK && !m.metadata().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** A mark as a listing shows it: its hour, where it is and when it was last written. */
  public record Listed(long hour, String path, long lastModified) {}

  /** Every hour mark in the lake, without reading them: one listing. */
  public static TreeMap<Long, Listed> listMarks(String lake) throws IOException {
    TreeMap<Long, Listed> marks = new TreeMap<>();
    String pattern = LakeLayout.resolve(lake, LakeLayout.CLOSED_FOLDER + "/dt=*/hr=*/closed.json");
    for (MatchResult m : FileSystems.match(List.of(pattern), EmptyMatchTreatment.ALLOW)) {
      if (m.status() != MatchResult.Status.OK) {
        continue;
      }
      for (MatchResult.Metadata f : m.metadata()) {
        String path = f.resourceId().toString();
        marks.put(LakeLayout.hourOf(path), new Listed(LakeLayout.hourOf(path), path,
            f.lastModifiedMillis()));
      }
    }
    return marks;
  }

  /** Versions read, by path and modification time: a loader polling the lake reads a mark once. */
  private static final java.util.Map<String, String> VERSIONS =
      java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, String> eldest) {
          return size() > 100_000;
        }
      });

  /** The version a listed mark holds now. */
  public static String version(String lake, Listed mark) throws IOException {
    String key = mark.path() + "@" + mark.lastModified();
    String cached = VERSIONS.get(key);
    if (cached != null) {
      return cached;
    }
    Optional<JsonNode> json = read(mark.path());
    String version = json.map(j -> j.path("version").asText("")).filter(v -> !v.isEmpty())
        .orElse("mtime-" + mark.lastModified());
    VERSIONS.put(key, version);
    return version;
  }

  /**
   * The last closed hour (epoch ms of its start): the greater of {@code closed/watermark.json}
   * (only if {@code launch} wrote it, when given) and the latest marked hour; empty when neither
   * exists.
   */
  public static Optional<Long> closedThrough(String lake, Optional<Long> latestMark,
      Optional<String> launch) throws IOException {
    Optional<Long> through = readClosedThrough(lake, launch);
    if (latestMark.isPresent() && (through.isEmpty() || latestMark.get() > through.get())) {
      return latestMark;
    }
    return through;
  }

  private static TreeMap<Long, String> marks(List<String> patterns, long from, long to)
      throws IOException {
    TreeMap<Long, String> marks = new TreeMap<>();
    for (MatchResult m : FileSystems.match(patterns, EmptyMatchTreatment.ALLOW)) {
      if (m.status() != MatchResult.Status.OK) {
        continue; // a day without marks
      }
      for (MatchResult.Metadata f : m.metadata()) {
        String path = f.resourceId().toString();
        long hour = LakeLayout.hourOf(path);
        if (hour < from || hour > to) {
          continue;
        }
        Optional<JsonNode> json = read(path);
        // A mark written before marks had versions: its modification time stands in.
        marks.put(hour, json.map(j -> j.path("version").asText("")).filter(v -> !v.isEmpty())
            .orElse("mtime-" + f.lastModifiedMillis()));
      }
    }
    return marks;
  }

  private static Optional<JsonNode> read(String path) throws IOException {
    MatchResult m = FileSystems.match(List.of(path), EmptyMatchTreatment.ALLOW).get(0);
    if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(
        m.metadata().get(0).resourceId()))) {
      return Optional.of(JSON.readTree(in));
    } catch (IOException e) {
      throw new IOException("unreadable mark " + path + ": " + e.getMessage(), e);
    }
  }

  /** Writes a small file in one piece: staged, then moved over the old one. */
  private static void write(String lake, String relative, String json) throws IOException {
    ResourceId temporary = FileSystems.matchNewResource(LakeLayout.resolve(
        LakeLayout.temporaryFolder(lake, "marks"), UUID.randomUUID() + ".json"), false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(temporary,
        MimeTypes.TEXT))) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    }
    FileSystems.rename(List.of(temporary),
        List.of(FileSystems.matchNewResource(LakeLayout.resolve(lake, relative), false)));
  }
}
