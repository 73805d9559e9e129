package io.streamify.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;

import io.streamify.hourly.HourlyPipelineTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-off catalog load with the real Million Song Dataset subset: every row lands in the lake,
 * and the next hourly run makes one dim_songs row per (artist, title), however often the catalog
 * repeats one.
 */
class LoadCatalogTest {
  /** The repository's fixture (fixtures/catalog/README.md), from the module's folder. */
  static final Path SONGS = Path.of("..", "fixtures", "catalog", "songs.csv");

  @Test
  void theMillionSongSubsetBecomesOneSongRowPerArtistAndTitle(@TempDir Path dir) throws Exception {
    Path lake = dir.resolve("lake");
    String written = LoadCatalog.load(SONGS.toString(), lake.toString());
    Path db = dir.resolve("w.duckdb");
    // An hour without events: the dimensions still come from the catalog.
    HourlyPipelineTest.run(lake, db, "--hour=2026-11-23T13", "--lookbackHours=0");

    String normalized = "lower(regexp_replace(trim(%s), '\\s+', ' ', 'g'))";
    assertThat(
        HourlyPipelineTest.query(
            db,
            "SELECT (SELECT count(*) FROM read_parquet('"
                + written
                + "')), (SELECT count(DISTINCT ("
                + String.format(normalized, "artist_name")
                + ", "
                + String.format(normalized, "title")
                + ")) FROM read_parquet('"
                + written
                + "') WHERE title <> '' AND artist_name <> ''), (SELECT count(*) FROM dim_songs WHERE"
                + " in_catalog),"
                + " (SELECT count(*) FROM dim_songs WHERE NOT in_catalog)"),
        // One row has no title (Sébastien Roch): loaded, but no song an event could name.
        contains("10000 | 9938 | 9938 | 1"));
  }
}
