package io.streamify.hourly.dimensions;

import io.streamify.hourly.summaries.Song;
import io.streamify.warehouse.CatalogSong;
import io.streamify.warehouse.Keys;
import io.streamify.warehouse.UsStates;
import io.streamify.warehouse.rows.DimArtist;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * dim_artists: the artists of the catalog's songs ({@link #CATALOG}) and of the songs heard in
 * every processed hour ({@link #HEARD}) → one row per artist key (the name compared loosely, {@link
 * Keys#artist}): a catalog row over a heard one, then the least in Avro's order. Plus the unknown
 * artist (key 0).
 */
public final class DimArtists extends PTransform<PCollectionTuple, PCollection<DimArtist>> {
  /** Input: the songs heard (an artist heard without a title among them). */
  public static final TupleTag<Song> HEARD = new TupleTag<>() {};

  /** Input: the catalog's songs. */
  public static final TupleTag<CatalogSong> CATALOG = new TupleTag<>() {};

  /** The unknown artist, key 0. */
  public static final DimArtist UNKNOWN =
      new DimArtist(Keys.UNKNOWN, UsStates.UNKNOWN, null, false);

  @Override
  public PCollection<DimArtist> expand(PCollectionTuple in) {
    PCollection<DimArtist> fromCatalog =
        in.get(CATALOG)
            .apply("CatalogArtistRows", ParDo.of(new CatalogRowFn()))
            .setCoder(DimArtist.TYPE.coder());
    PCollection<DimArtist> fromEvents =
        in.get(HEARD)
            .apply("HeardArtistRows", ParDo.of(new HeardRowFn()))
            .setCoder(DimArtist.TYPE.coder());
    PCollection<DimArtist> rows =
        PCollectionList.of(fromCatalog)
            .and(fromEvents)
            .apply("AllArtists", Flatten.pCollections())
            .apply(
                "OnePerArtist",
                Members.onePerKey(
                    DimArtist.TYPE,
                    DimArtist::artistKey,
                    Members.catalogFirst(DimArtist.TYPE, DimArtist::inCatalog)));
    return Members.withUnknown(rows, DimArtist.TYPE, UNKNOWN);
  }

  static final class CatalogRowFn extends DoFn<CatalogSong, DimArtist> {
    @ProcessElement
    public void process(@Element CatalogSong c, OutputReceiver<DimArtist> out) {
      String name = c.artistName();
      if (Keys.artist(name) != Keys.UNKNOWN) {
        out.output(new DimArtist(Keys.artist(name), name, c.artistId(), true));
      }
    }
  }

  static final class HeardRowFn extends DoFn<Song, DimArtist> {
    @ProcessElement
    public void process(@Element Song s, OutputReceiver<DimArtist> out) {
      out.output(new DimArtist(Keys.artist(s.artist()), s.artist(), null, false));
    }
  }
}
