package io.streamify.hourly.dimensions;

import io.streamify.hourly.summaries.Song;
import io.streamify.warehouse.CatalogSong;
import io.streamify.warehouse.Keys;
import io.streamify.warehouse.rows.DimArtist;
import io.streamify.warehouse.rows.DimSong;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

/** dim_songs and dim_artists from the catalog and the songs heard: exact rows per edge case. */
class DimSongsTest {
  static final CatalogSong UPRISING_A =
      new CatalogSong("SOA", "TRA", "ARMUSE", "Muse", "Uprising", 305.0, 2009);
  static final CatalogSong UPRISING_B =
      new CatalogSong("SOB", "TRB", "ARMUSE", "muse ", "Uprising", 304.0, 2010);
  static final CatalogSong HYSTERIA =
      new CatalogSong(null, null, null, "Muse", "Hysteria", null, null);

  static final long UPRISING = Keys.song("Muse", "Uprising");
  static final long MUSE = Keys.artist("Muse");

  record Result(PCollection<DimSong> songs, PCollection<DimArtist> artists) {}

  static Result run(Pipeline p, List<Song> heard, List<CatalogSong> catalog) {
    PCollectionTuple in =
        PCollectionTuple.of(
                DimSongs.HEARD, p.apply("Heard", Create.of(heard).withCoder(Song.TYPE.coder())))
            .and(
                DimSongs.CATALOG,
                p.apply("Catalog", Create.of(catalog).withCoder(CatalogSong.TYPE.coder())));
    PCollectionTuple artistsIn =
        PCollectionTuple.of(DimArtists.HEARD, in.get(DimSongs.HEARD))
            .and(DimArtists.CATALOG, in.get(DimSongs.CATALOG));
    return new Result(
        in.apply("Songs", new DimSongs()), artistsIn.apply("Artists", new DimArtists()));
  }

  @Test
  void aSongTheCatalogListsTwiceIsOneRowTheLeastInAvrosOrder() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    Result r = run(p, List.of(), List.of(UPRISING_B, UPRISING_A, UPRISING_B));
    PAssert.that(r.songs())
        .containsInAnyOrder(
            // "Muse" < "muse " in UTF-8 bytes: the first row's fields decide
            new DimSong(UPRISING, "Uprising", MUSE, "Muse", 305.0, 2009, "SOA", true),
            DimSongs.UNKNOWN);
    PAssert.that(r.artists())
        .containsInAnyOrder(new DimArtist(MUSE, "Muse", "ARMUSE", true), DimArtists.UNKNOWN);
    p.run().waitUntilFinish();
  }

  @Test
  void aSongHeardThatTheCatalogListsTakesTheCatalogsRow() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    Result r = run(p, List.of(new Song(UPRISING, "MUSE", "uprising", 300.0)), List.of(UPRISING_A));
    PAssert.that(r.songs())
        .containsInAnyOrder(
            new DimSong(UPRISING, "Uprising", MUSE, "Muse", 305.0, 2009, "SOA", true),
            DimSongs.UNKNOWN);
    PAssert.that(r.artists())
        .containsInAnyOrder(new DimArtist(MUSE, "Muse", "ARMUSE", true), DimArtists.UNKNOWN);
    p.run().waitUntilFinish();
  }

  @Test
  void songsAndArtistsHeardButNotInTheCatalogHaveRowsOfTheirOwn() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    long hysteria = Keys.song("Muse", "Hysteria");
    long moby = Keys.artist("Moby");
    Result r =
        run(
            p,
            List.of(
                new Song(Keys.song("Moby", "Porcelain"), "Moby", "Porcelain", 241.0),
                new Song(Keys.UNKNOWN, "Air", "", 100.0)),
            List.of(HYSTERIA));
    PAssert.that(r.songs())
        .containsInAnyOrder(
            new DimSong(hysteria, "Hysteria", MUSE, "Muse", null, null, null, true),
            new DimSong(
                Keys.song("Moby", "Porcelain"),
                "Porcelain",
                moby,
                "Moby",
                241.0,
                null,
                null,
                false),
            DimSongs.UNKNOWN);
    // An artist heard without a title is an artist, though no song.
    PAssert.that(r.artists())
        .containsInAnyOrder(
            new DimArtist(MUSE, "Muse", null, true),
            new DimArtist(moby, "Moby", null, false),
            new DimArtist(Keys.artist("Air"), "Air", null, false),
            DimArtists.UNKNOWN);
    p.run().waitUntilFinish();
  }

  @Test
  void aCatalogRowWithoutATitleIsNoSongButItsArtistIsAnArtist() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    Result r =
        run(p, List.of(), List.of(new CatalogSong(null, null, "ARX", "Xx", " ", null, null)));
    PAssert.that(r.songs()).containsInAnyOrder(DimSongs.UNKNOWN);
    PAssert.that(r.artists())
        .containsInAnyOrder(
            new DimArtist(Keys.artist("Xx"), "Xx", "ARX", true), DimArtists.UNKNOWN);
    p.run().waitUntilFinish();
  }
}
