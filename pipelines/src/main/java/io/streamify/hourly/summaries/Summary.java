package io.streamify.hourly.summaries;

import io.streamify.lake.LakeLayout;
import io.streamify.rows.RowType;
import java.io.Serializable;
import java.util.List;
import org.apache.avro.Schema;

/**
 * What an hourly run keeps of each hour in the lake ({@code curated/<summary>/<hour>/}) so that the
 * dimensions can be rebuilt from every hour processed so far without reading their events again:
 * the users' level observations, the places, the songs, and the hour's row counts. A run replaces
 * the summaries of the hours it processes and reads those of all others, so the dimensions depend
 * only on which hours were processed, never on their order.
 *
 * @param <T> the summary's typed row
 */
public final class Summary<T extends Record> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The Avro namespace of the summaries' records. */
  static final String NAMESPACE = "io.streamify.hourly.avro";

  /** Per user and hour: the first observed level and each change after it. */
  public static final Summary<UserLevel> USER_LEVELS = new Summary<>("user_levels", UserLevel.TYPE);

  /** Per place and hour: one row. */
  public static final Summary<Location> LOCATIONS = new Summary<>("locations", Location.TYPE);

  /** Per song (or artist heard without a title) and hour: one row. */
  public static final Summary<Song> SONGS = new Summary<>("songs", Song.TYPE);

  /** Per event table and hour: where the lake's rows went. */
  public static final Summary<HourCount> HOUR_COUNTS = new Summary<>("hour_counts", HourCount.TYPE);

  private final String name;
  private final RowType<T> rowType;

  private Summary(String name, RowType<T> rowType) {
    this.name = name;
    this.rowType = rowType;
  }

  /** Every summary. */
  public static List<Summary<?>> all() {
    return List.of(USER_LEVELS, LOCATIONS, SONGS, HOUR_COUNTS);
  }

  /** The summary's name, e.g. user_levels: its folder's name. */
  public String name() {
    return name;
  }

  public RowType<T> rowType() {
    return rowType;
  }

  public Schema schema() {
    return rowType.schema();
  }

  /** The summary's folder, relative to the lake. */
  public String folder() {
    return LakeLayout.summaryFolder(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
