package io.streamify.hourly.dimensions;

import io.streamify.hourly.summaries.Song;
import io.streamify.warehouse.CatalogSong;
import io.streamify.warehouse.Keys;
import io.streamify.warehouse.UsStates;
import io.streamify.warehouse.rows.DimSong;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * dim_songs: the catalog's songs ({@link #CATALOG}) and the songs heard in every processed hour
 * ({@link #HEARD}, {@link io.streamify.hourly.summaries.Summary#SONGS}) → one row per song key
 * (artist and title compared loosely, {@link Keys#song}) however often either lists it: a catalog
 * row over a heard one, then the least in Avro's order. Plus the unknown song (key 0). Songs
 * without an artist or a title have no row of their own.
 */
public final class DimSongs extends PTransform<PCollectionTuple, PCollection<DimSong>> {
  /** Input: the songs heard. */
  public static final TupleTag<Song> HEARD = new TupleTag<>() {};

  /** Input: the catalog's songs. */
  public static final TupleTag<CatalogSong> CATALOG = new TupleTag<>() {};

  /** The unknown song, key 0, by the unknown artist. */
  public static final DimSong UNKNOWN =
      new DimSong(
          Keys.UNKNOWN, UsStates.UNKNOWN, Keys.UNKNOWN, UsStates.UNKNOWN, null, null, null, false);

  @Override
  public PCollection<DimSong> expand(PCollectionTuple in) {
    PCollection<DimSong> fromCatalog =
        in.get(CATALOG)
            .apply("CatalogSongRows", ParDo.of(new CatalogRowFn()))
            .setCoder(DimSong.TYPE.coder());
    PCollection<DimSong> fromEvents =
        in.get(HEARD)
            .apply("HeardSongRows", ParDo.of(new HeardRowFn()))
            .setCoder(DimSong.TYPE.coder());
    PCollection<DimSong> rows =
        PCollectionList.of(fromCatalog)
            .and(fromEvents)
            .apply("AllSongs", Flatten.pCollections())
            .apply(
                "OnePerSong",
                Members.onePerKey(
                    DimSong.TYPE,
                    DimSong::songKey,
                    Members.catalogFirst(DimSong.TYPE, DimSong::inCatalog)));
    return Members.withUnknown(rows, DimSong.TYPE, UNKNOWN);
  }

  static final class CatalogRowFn extends DoFn<CatalogSong, DimSong> {
    @ProcessElement
    public void process(@Element CatalogSong c, OutputReceiver<DimSong> out) {
      long key = Keys.song(c.artistName(), c.title());
      if (key != Keys.UNKNOWN) {
        out.output(
            new DimSong(
                key,
                c.title(),
                Keys.artist(c.artistName()),
                c.artistName(),
                c.duration(),
                c.year(),
                c.songId(),
                true));
      }
    }
  }

  static final class HeardRowFn extends DoFn<Song, DimSong> {
    @ProcessElement
    public void process(@Element Song s, OutputReceiver<DimSong> out) {
      if (s.songKey() != Keys.UNKNOWN) { // an artist heard without a title: no song of its own
        out.output(
            new DimSong(
                s.songKey(),
                s.title(),
                Keys.artist(s.artist()),
                s.artist(),
                s.duration(),
                null,
                null,
                false));
      }
    }
  }
}
