package io.streamify.warehouse;

import io.streamify.cli.Example;
import io.streamify.cli.OptionsHelp;
import io.streamify.generator.catalog.CatalogLoader;
import io.streamify.generator.catalog.Song;
import io.streamify.generator.catalog.SongCatalog;
import io.streamify.generator.config.ConfigException;
import io.streamify.lake.LakeLayout;
import io.streamify.lake.ParquetFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * The one-off load of the song catalog (the seed's load_songs_dag): a Million Song Dataset songs
 * CSV and/or eventsim's listen-counts file, or the generator's {@code --write-catalog} output,
 * becomes {@code <lake>/catalog/songs/songs.parquet}; the next hourly run builds dim_songs and
 * dim_artists from it. Loading again replaces it.
 */
public final class LoadCatalog {
  /** The command's parameters. */
  public interface Options extends PipelineOptions {
    @Description(
        "The catalog file(s), comma-separated: a songs CSV (artist_name, title,"
            + " duration, ...), a listen-counts file, or both")
    @Validation.Required
    @Example("million-song-subset.csv,listen-counts.txt")
    String getCatalog();

    void setCatalog(String value);

    @Description("The data lake root: gs://bucket/prefix or a local folder")
    @Validation.Required
    @Example("gs://my-bucket/lake")
    String getLake();

    void setLake(String value);
  }

  private LoadCatalog() {}

  public static void main(String[] args) {
    System.exit(run(args, System.err));
  }

  /**
   * {@code streamify load-catalog}; returns the exit code: 0 written, 2 for a usage mistake or a
   * catalog file that is missing or of no known format, 1 when the lake cannot be written; each
   * failure is one line on {@code err}.
   */
  public static int run(String[] args, PrintStream err) {
    OptionalInt answered =
        OptionsHelp.answerIfAsked(
            args,
            Options.class,
            "load-catalog",
            "Writes a"
                + " song catalog (Million Song Dataset CSV and/or eventsim's listen counts) into the lake as"
                + " Parquet, for the hourly pipeline's dim_songs and dim_artists.",
            System.out,
            err);
    if (answered.isPresent()) {
      return answered.getAsInt();
    }
    try {
      Options o = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
      FileSystems.setDefaultPipelineOptions(o);
      String path = load(o.getCatalog(), o.getLake());
      err.println("streamify load-catalog: wrote " + path);
      return 0;
    } catch (IllegalArgumentException | ConfigException e) {
      err.println(
          "streamify load-catalog: "
              + String.valueOf(e.getMessage()).strip().lines().findFirst().orElse(""));
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println(
          "streamify load-catalog: cannot write the catalog: "
              + String.valueOf(e.getMessage()).strip().lines().findFirst().orElse(""));
      return 1;
    }
  }

  /** Writes the catalog's songs to the lake; returns the file written. */
  public static String load(String catalog, String lake) throws IOException {
    List<Path> paths =
        Arrays.stream(catalog.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(Path::of)
            .toList();
    return load(CatalogLoader.load(paths), lake);
  }

  /** Writes a catalog's songs to the lake; returns the file written. */
  public static String load(SongCatalog songs, String lake) throws IOException {
    String target = LakeLayout.resolve(lake, LakeLayout.CATALOG_FOLDER + "/songs.parquet");
    ParquetFiles.write(
        target,
        LakeLayout.temporaryFolder(lake, "catalog"),
        CatalogSong.SCHEMA,
        sink -> {
          for (Song s : songs.songs()) {
            GenericRecord r = new GenericData.Record(CatalogSong.SCHEMA);
            r.put("song_id", emptyToNull(s.songId()));
            r.put("track_id", emptyToNull(s.trackId()));
            r.put("artist_id", emptyToNull(s.artistId()));
            r.put("artist_name", s.artist());
            r.put("title", s.title());
            r.put("duration", s.duration() > 0 ? s.duration() : null);
            r.put("year", s.year() > 0 ? s.year() : null);
            sink.write(r);
          }
        });
    return target;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
