package io.streamify.generator.catalog;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the catalog a run used as CSV (RFC 4180, UTF-8, header first) so that the warehouse can
 * load the song and artist dimensions from it.
 */
public final class CatalogWriter {
  public static final String HEADER =
      "song_id,track_id,artist_id,artist_name,title,duration,year,weight";

  private CatalogWriter() {}

  public static void writeCsv(SongCatalog catalog, Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
      w.write(HEADER);
      w.write('\n');
      for (Song s : catalog.songs()) {
        w.write(field(s.songId()));
        w.write(',');
        w.write(field(s.trackId()));
        w.write(',');
        w.write(field(s.artistId()));
        w.write(',');
        w.write(field(s.artist()));
        w.write(',');
        w.write(field(s.title()));
        w.write(',');
        w.write(Double.toString(s.duration()));
        w.write(',');
        w.write(Integer.toString(s.year()));
        w.write(',');
        w.write(Double.toString(s.weight()));
        w.write('\n');
      }
    }
  }

  static String field(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
