package io.streamify.lake;

import io.streamify.events.LakeTable;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where things live in the lake (docs/lake-layout.md): Hive-style hour partitions under each
 * table's folder, and file names that carry the window, the pane, the writing launch and the shard,
 * so a late pane or a restarted job adds files and never overwrites one.
 *
 * <pre>
 * events/&lt;topic&gt;/dt=YYYY-MM-DD/hr=HH/&lt;start&gt;-&lt;end&gt;-pane-&lt;i&gt;-&lt;launch&gt;-&lt;shard&gt;-of-&lt;n&gt;.parquet
 * events/&lt;topic&gt;/dt=YYYY-MM-DD/hr=HH/arrived-&lt;start&gt;-&lt;end&gt;-pane-…  arrival files: events whose
 *                                      window had expired when they arrived, by arrival window
 * deadletter/dt=YYYY-MM-DD/hr=HH/…     by the hour of arrival
 * curated/&lt;summary&gt;/dt=YYYY-MM-DD/hr=HH/summary.parquet   the hourly pipeline's per-hour summaries
 * catalog/songs/songs.parquet                          the song catalog
 * closed/dt=YYYY-MM-DD/hr=HH/closed.json               the stream pipeline's mark: hour complete
 * closed/dt=YYYY-MM-DD/hr=HH/open.json                 … and its note: the hour has files
 * closed/watermark.json                                every hour up to one is complete
 * </pre>
 */
public final class LakeLayout {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private LakeLayout() {}

  /** The hour partition of an instant, e.g. {@code dt=2026-11-24/hr=13}. */
  public static String hourPartition(long epochMillis) {
    Instant i = Instant.ofEpochMilli(epochMillis);
    return "dt=" + DAY.format(i) + "/hr=" + HOUR.format(i);
  }

  /** The folder of one table's hour, relative to the lake root. */
  public static String partitionFolder(LakeTable table, long epochMillis) {
    return table.folder() + "/" + hourPartition(epochMillis);
  }

  /** The name of a file of one window and pane, as one launch and shard write it. */
  public static String fileName(
      long windowStart, long windowEnd, long pane, String launch, int shard, int shards) {
    return STAMP.format(Instant.ofEpochMilli(windowStart))
        + "-"
        + STAMP.format(Instant.ofEpochMilli(windowEnd))
        + "-pane-"
        + pane
        + "-"
        + launch
        + "-"
        + shard
        + "-of-"
        + shards
        + ".parquet";
  }

  /** The name of an arrival file: {@link #fileName} of its arrival window, prefixed. */
  public static String arrivalFileName(
      long windowStart, long windowEnd, long pane, String launch, int shard, int shards) {
    return ARRIVAL_PREFIX + fileName(windowStart, windowEnd, pane, launch, shard, shards);
  }

  /** File names of arrival files start with this. */
  public static final String ARRIVAL_PREFIX = "arrived-";

  /**
   * The start (epoch ms) of the hour partition a lake path lies in, from its {@code
   * dt=YYYY-MM-DD/hr=HH} folders; a clear error if it has none.
   */
  public static long hourOf(String path) {
    int dt = path.lastIndexOf("dt=");
    int hr = path.indexOf("/hr=", dt);
    if (dt < 0 || hr < 0 || hr + 6 > path.length()) {
      throw new IllegalArgumentException("not in an hour partition: " + path);
    }
    return LocalDateTime.parse(
            path.substring(dt + 3, hr) + "T" + path.substring(hr + 4, hr + 6) + ":00")
        .toInstant(ZoneOffset.UTC)
        .toEpochMilli();
  }

  /** Joins the lake root (a local folder or gs://bucket/prefix) and a relative path. */
  public static String resolve(String lakeRoot, String relative) {
    return lakeRoot.endsWith("/") ? lakeRoot + relative : lakeRoot + "/" + relative;
  }

  /** The folder of the hourly pipeline's summaries of one kind (see hourly.summaries.Summary). */
  public static String summaryFolder(String name) {
    return "curated/" + name;
  }

  /** Folder of the stream pipeline's closed-hour marks (stream.MarkClosedHours). */
  public static final String CLOSED_FOLDER = "closed";

  /** The mark that an hour is complete in the lake, relative to the lake root. */
  public static String closedMarker(long hourStart) {
    return CLOSED_FOLDER + "/" + hourPartition(hourStart) + "/closed.json";
  }

  /**
   * The stream pipeline's note that an hour has files (written with its first file, by each
   * launch): so a loader finds an hour whose launch stopped before it could mark it closed.
   */
  public static String openMarker(long hourStart) {
    return CLOSED_FOLDER + "/" + hourPartition(hourStart) + "/open.json";
  }

  /**
   * The stream pipeline's mark that every hour up to the one it names is complete, also hours in
   * which nothing arrived (relative to the lake root).
   */
  public static final String CLOSED_THROUGH_MARKER = CLOSED_FOLDER + "/watermark.json";

  /** The song catalog, as Parquet ({@code streamify load-catalog}). */
  public static final String CATALOG_FOLDER = "catalog/songs";

  /** Where unfinished files are written before being moved into place; readers skip "_" folders. */
  public static String temporaryFolder(String lakeRoot, String launch) {
    return resolve(lakeRoot, "_temporary/" + launch);
  }
}
