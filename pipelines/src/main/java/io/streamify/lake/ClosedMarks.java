package io.streamify.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamify.events.LakeTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The stream pipeline's closed-hour marks in the lake, read and written through Beam's file systems
 * (a local folder or gs://), docs/lake-layout.md.
 *
 * <ul>
 *   <li>{@code closed/dt=…/hr=…/closed.json}: the hour had files and the watermark after the writer
 *       has passed its end plus the allowed lateness. It is written again, with a new {@code
 *       version}, whenever the hour gets files after that (arrival files, or a restarted job's
 *       re-read records), so a loader that remembers the version it loaded knows the hour changed.
 *   <li>{@code closed/watermark.json}: every hour up to {@code closedThrough} is closed, also hours
 *       in which nothing arrived. It only ever moves forward.
 * </ul>
 *
 * An hour is closed when it has a mark, or by {@link #closedWithoutMark}: at or before {@link
 * #closedThrough} (the greater of that file's hour and the latest marked hour: a later hour's mark
 * closes every hour before it) with no event file written after that.
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
    write(
        lake,
        LakeLayout.closedMarker(hourStart),
        "{\"hour\":\""
            + Instant.ofEpochMilli(hourStart)
            + "\",\"closedAt\":\""
            + Instant.now()
            + "\",\"version\":\""
            + version
            + "\"}\n");
    return version;
  }

  /** Notes that an hour has files: written by a launch with its first file of the hour. */
  public static void noteOpen(String lake, long hourStart, String launch) throws IOException {
    write(
        lake,
        LakeLayout.openMarker(hourStart),
        "{\"hour\":\""
            + Instant.ofEpochMilli(hourStart)
            + "\",\"launch\":\""
            + launch
            + "\",\"at\":\""
            + Instant.now()
            + "\"}\n");
  }

  /** The hours noted open ({@link #noteOpen}), whether closed since or not: one listing. */
  public static TreeSet<Long> openHours(String lake) throws IOException {
    TreeSet<Long> hours = new TreeSet<>();
    String pattern = LakeLayout.resolve(lake, LakeLayout.CLOSED_FOLDER + "/dt=*/hr=*/open.json");
    for (MatchResult m : FileSystems.match(List.of(pattern), EmptyMatchTreatment.ALLOW)) {
      if (m.status() == MatchResult.Status.OK) {
        m.metadata().forEach(f -> hours.add(LakeLayout.hourOf(f.resourceId().toString())));
      }
    }
    return hours;
  }

  /**
   * Records that every hour up to {@code hourStart} is closed, as the stream job's launch {@code
   * launch} sees it, unless the lake already says so of a later hour (a job whose watermark ran
   * ahead of the wall clock may have written one).
   */
  public static void raiseClosedThrough(String lake, long hourStart, String launch)
      throws IOException {
    Optional<Through> current = readThrough(lake);
    // (an unreadable mark is written over: it must never stop the stream job)
    if (current.isPresent()
        && (current.get().hour() > hourStart
            || (current.get().hour() == hourStart && launch.equals(current.get().launch())))) {
      return;
    }
    write(
        lake,
        LakeLayout.CLOSED_THROUGH_MARKER,
        "{\"closedThrough\":\""
            + Instant.ofEpochMilli(hourStart)
            + "\",\"launch\":\""
            + launch
            + "\",\"at\":\""
            + Instant.now()
            + "\"}\n");
  }

  /**
   * What {@code closed/watermark.json} says: every hour up to {@code hour} is closed, as launch
   * {@code launch} of the stream job saw it; {@code writtenAt} is when the file was written (its
   * modification time, epoch ms).
   */
  public record Through(long hour, String launch, long writtenAt) {}

  /** The hour {@code closed/watermark.json} names, if the file exists. */
  public static Optional<Long> readClosedThrough(String lake) throws IOException {
    return readClosedThrough(lake, Optional.empty());
  }

  /**
   * The hour {@code closed/watermark.json} names, if the file exists and, when a launch is given,
   * that launch of the stream job wrote it (a loader that must see the hours of one launch closed,
   * as {@code streamify local} does, ignores what an earlier launch saw).
   */
  public static Optional<Long> readClosedThrough(String lake, Optional<String> launch)
      throws IOException {
    return readThrough(lake)
        .filter(t -> launch.isEmpty() || launch.get().equals(t.launch()))
        .map(Through::hour);
  }

  /** {@code closed/watermark.json}, or empty if it does not exist or cannot be read. */
  public static Optional<Through> readThrough(String lake) throws IOException {
    String path = LakeLayout.resolve(lake, LakeLayout.CLOSED_THROUGH_MARKER);
    MatchResult m = FileSystems.match(List.of(path), EmptyMatchTreatment.ALLOW).get(0);
    if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode j = read(path).orElseThrow();
      return Optional.of(
          new Through(
              Instant.parse(j.get("closedThrough").asText()).toEpochMilli(),
              j.path("launch").asText(""),
              m.metadata().get(0).lastModifiedMillis()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // damaged: as if absent (the stream job writes it anew)
    }
  }

  /**
   * Every hour mark in the lake from {@code fromHour} to {@code toHour} (both included; epoch ms of
   * hour starts): hour → version. One listing per day.
   */
  public static TreeMap<Long, String> hourMarks(String lake, long fromHour, long toHour)
      throws IOException {
    List<String> patterns = new ArrayList<>();
    for (long day = Math.floorDiv(fromHour, 24 * HOUR) * 24 * HOUR;
        day <= toHour;
        day += 24 * HOUR) {
      patterns.add(
          LakeLayout.resolve(
              lake,
              LakeLayout.CLOSED_FOLDER
                  + "/dt="
                  + DAY.format(Instant.ofEpochMilli(day))
                  + "/hr=*/closed.json"));
    }
    return marks(patterns, fromHour, toHour);
  }

  /** Every hour mark in the lake: hour → version. One listing of all of them. */
  public static TreeMap<Long, String> allHourMarks(String lake) throws IOException {
    return marks(
        List.of(LakeLayout.resolve(lake, LakeLayout.CLOSED_FOLDER + "/dt=*/hr=*/closed.json")),
        Long.MIN_VALUE,
        Long.MAX_VALUE);
  }

  /**
   * When the newest event file of the hour's partitions was written (epoch ms), if it has any. See
   * {@link #closedWithoutMark}.
   */
  public static OptionalLong newestEventFile(String lake, long hourStart) throws IOException {
    List<String> patterns = new ArrayList<>();
    for (LakeTable t : LakeTable.values()) {
      if (t.isEvent()) {
        patterns.add(
            LakeLayout.resolve(lake, LakeLayout.partitionFolder(t, hourStart) + "/*.parquet"));
      }
    }
    OptionalLong newest = OptionalLong.empty();
    for (MatchResult m : FileSystems.match(patterns, EmptyMatchTreatment.ALLOW)) {
      if (m.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata f : m.metadata()) {
          if (newest.isEmpty() || f.lastModifiedMillis() > newest.getAsLong()) {
            newest = OptionalLong.of(f.lastModifiedMillis());
          }
        }
      }
    }
    return newest;
  }

  /**
   * The rule for an hour without a mark of its own: closed if it is at or before the last closed
   * hour and every event file it has was written before that was said (an empty hour; or files of a
   * launch of the stream job that died before it could mark the hour, which a later launch's
   * watermark has passed). An hour with files written after it is still being written by a running
   * launch (a restarted job re-reading records, say), which will mark it.
   */
  public static boolean closedWithoutMark(
      Optional<Through> closedThrough, long hourStart, OptionalLong newestEventFile) {
    return closedThrough.isPresent()
        && hourStart <= closedThrough.get().hour()
        && (newestEventFile.isEmpty()
            || newestEventFile.getAsLong() < closedThrough.get().writtenAt());
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
        marks.put(
            LakeLayout.hourOf(path),
            new Listed(LakeLayout.hourOf(path), path, f.lastModifiedMillis()));
      }
    }
    return marks;
  }

  /** Versions read, by path and modification time: a loader polling the lake reads a mark once. */
  private static final Map<String, String> VERSIONS =
      Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > 100_000;
            }
          });

  /**
   * The version a listed mark holds now; a mark written before marks had versions has its
   * modification time as version, and a damaged one a version of its own.
   */
  public static String version(String lake, Listed mark) throws IOException {
    String key = mark.path() + "@" + mark.lastModified();
    String cached = VERSIONS.get(key);
    if (cached != null) {
      return cached;
    }
    String version;
    try {
      version =
          read(mark.path())
              .map(j -> j.path("version").asText(""))
              .filter(v -> !v.isEmpty())
              .orElse("mtime-" + mark.lastModified());
    } catch (IOException e) {
      // damaged: a version of its own (changed), so the hour is loaded again rather than never
      version = "unreadable-" + mark.lastModified();
    }
    VERSIONS.put(key, version);
    return version;
  }

  /**
   * The last closed hour: the greater of {@code closed/watermark.json} (only if {@code launch}
   * wrote it, when given) and the latest hour mark (a later hour's mark closes every hour before
   * it), with when it was written; empty when neither exists.
   */
  public static Optional<Through> closedThrough(
      String lake, Optional<Listed> latestMark, Optional<String> launch) throws IOException {
    Optional<Through> through =
        readThrough(lake).filter(t -> launch.isEmpty() || launch.get().equals(t.launch()));
    if (latestMark.isPresent()
        && (through.isEmpty() || latestMark.get().hour() > through.get().hour())) {
      return Optional.of(new Through(latestMark.get().hour(), "", latestMark.get().lastModified()));
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
        marks.put(hour, version(null, new Listed(hour, path, f.lastModifiedMillis())));
      }
    }
    return marks;
  }

  private static Optional<JsonNode> read(String path) throws IOException {
    MatchResult m = FileSystems.match(List.of(path), EmptyMatchTreatment.ALLOW).get(0);
    if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(m.metadata().get(0).resourceId()))) {
      return Optional.of(JSON.readTree(in));
    } catch (IOException e) {
      throw new IOException("unreadable mark " + path + ": " + e.getMessage(), e);
    }
  }

  /** Writes a small file in one piece: staged, then moved over the old one. */
  private static void write(String lake, String relative, String json) throws IOException {
    ResourceId temporary =
        FileSystems.matchNewResource(
            LakeLayout.resolve(
                LakeLayout.temporaryFolder(lake, "marks"), UUID.randomUUID() + ".json"),
            false);
    try (OutputStream out =
        Channels.newOutputStream(FileSystems.create(temporary, MimeTypes.TEXT))) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    }
    FileSystems.rename(
        List.of(temporary),
        List.of(FileSystems.matchNewResource(LakeLayout.resolve(lake, relative), false)));
  }
}
