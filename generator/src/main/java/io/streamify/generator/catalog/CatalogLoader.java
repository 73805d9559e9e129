package io.streamify.generator.catalog;

import io.streamify.generator.config.ConfigException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Loads a real catalog: the Million Song Dataset's songs CSV (header with artist_name, title,
 * duration, and optionally song_id, track_id, artist_id, year, song_hotttnesss) and/or eventsim's
 * listen-counts file (tab-separated trackId, artist, title, duration, count; gzip or plain). Given
 * both, songs come from the CSV and popularity from the counts, joined on the track id.
 */
public final class CatalogLoader {
  private CatalogLoader() {}

  public static SongCatalog load(List<Path> paths) {
    List<Song> csv = null;
    Map<String, Song> counts = null;
    Path csvPath = null;
    Path countsPath = null;
    for (Path p : paths) {
      List<String> firstLines = new ArrayList<>();
      try (BufferedReader r = open(p)) {
        String line = r.readLine();
        if (line == null) {
          throw new ConfigException("catalog " + p + " is empty");
        }
        firstLines.add(line);
      } catch (IOException e) {
        throw unreadable(p, e);
      }
      String head = stripBom(firstLines.get(0));
      if (head.contains("artist_name") && head.contains("title") && head.contains(",")) {
        if (csv != null) {
          throw new ConfigException("two songs CSV files given: " + csvPath + " and " + p);
        }
        csv = readSongsCsv(p);
        csvPath = p;
      } else if (head.split("\t", -1).length == 5) {
        if (counts != null) {
          throw new ConfigException("two listen-count files given: " + countsPath + " and " + p);
        }
        counts = readListenCounts(p);
        countsPath = p;
      } else {
        throw new ConfigException(
            "catalog "
                + p
                + " is neither a Million Song Dataset CSV (a"
                + " header with artist_name,title,duration) nor a listen-counts file (5"
                + " tab-separated columns: trackId, artist, title, duration, count)");
      }
    }
    List<Song> songs;
    String description;
    if (csv != null && counts != null) {
      songs = new ArrayList<>(csv.size());
      for (Song s : csv) {
        Song c = counts.get(s.trackId());
        double w = c == null ? 1 : c.weight();
        songs.add(
            new Song(
                s.songId(),
                s.trackId(),
                s.artistId(),
                s.artist(),
                s.title(),
                s.duration(),
                s.year(),
                w));
      }
      description = csvPath + " with listen counts from " + countsPath;
    } else if (csv != null) {
      songs = csv;
      description = csvPath.toString();
    } else if (counts != null) {
      songs = new ArrayList<>(counts.values());
      description = countsPath.toString();
    } else {
      throw new ConfigException("no catalog files given");
    }
    if (songs.isEmpty()) {
      throw new ConfigException("catalog " + description + " has no songs");
    }
    if (songs.stream().noneMatch(s -> s.weight() > 0)) {
      throw new ConfigException("catalog " + description + " has no song with a positive weight");
    }
    return new SongCatalog(description + " (" + songs.size() + " songs)", songs);
  }

  private static List<Song> readSongsCsv(Path p) {
    List<Song> out = new ArrayList<>();
    try (BufferedReader r = open(p)) {
      CsvReader csv = new CsvReader(r);
      List<String> header = csv.next();
      header.set(0, stripBom(header.get(0)));
      Map<String, Integer> col = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        col.put(header.get(i).trim(), i);
      }
      for (String required : List.of("artist_name", "title", "duration")) {
        if (!col.containsKey(required)) {
          throw new ConfigException("catalog " + p + ": header lacks column " + required);
        }
      }
      List<String> row;
      while ((row = csv.next()) != null) {
        long line = csv.recordStartLine();
        if (row.size() == 1 && row.get(0).isEmpty()) {
          continue;
        }
        if (row.size() != header.size()) {
          throw new ConfigException(
              "catalog "
                  + p
                  + " line "
                  + line
                  + ": "
                  + row.size()
                  + " fields, the header has "
                  + header.size());
        }
        double duration = number(p, line, "duration", row.get(col.get("duration")));
        if (!(duration > 0)) {
          throw new ConfigException("catalog " + p + " line " + line + ": duration must be > 0");
        }
        double hot =
            col.containsKey("song_hotttnesss")
                ? parseOr(row.get(col.get("song_hotttnesss")), 0)
                : 0;
        // Without listen counts, popularity follows the dataset's "hotttnesss" in [0, 1].
        double weight = 1 + 100 * Math.max(0, Double.isNaN(hot) ? 0 : hot);
        out.add(
            new Song(
                get(row, col, "song_id"),
                get(row, col, "track_id"),
                get(row, col, "artist_id"),
                row.get(col.get("artist_name")),
                row.get(col.get("title")),
                duration,
                (int) parseOr(get(row, col, "year"), 0),
                weight));
      }
    } catch (IOException e) {
      throw unreadable(p, e);
    }
    return out;
  }

  private static Map<String, Song> readListenCounts(Path p) {
    Map<String, Song> out = new java.util.LinkedHashMap<>();
    try (BufferedReader r = open(p)) {
      String line;
      long n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isEmpty()) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length != 5) {
          throw new ConfigException(
              "catalog "
                  + p
                  + " line "
                  + n
                  + ": "
                  + f.length
                  + " tab-separated fields, expected 5 (trackId, artist, title, duration, count)");
        }
        double duration = number(p, n, "duration", f[3]);
        double count = number(p, n, "count", f[4]);
        if (!(duration > 0) || count < 0) {
          throw new ConfigException(
              "catalog " + p + " line " + n + ": duration must be > 0 and count >= 0");
        }
        out.put(f[0], new Song("", f[0], "", f[1], f[2], duration, 0, count));
      }
    } catch (IOException e) {
      throw unreadable(p, e);
    }
    return out;
  }

  private static String get(List<String> row, Map<String, Integer> col, String name) {
    Integer i = col.get(name);
    return i == null ? "" : row.get(i);
  }

  private static double number(Path p, long line, String what, String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "catalog " + p + " line " + line + ": " + what + " '" + text + "' is not a number");
    }
  }

  private static double parseOr(String text, double dflt) {
    try {
      return text.isBlank() ? dflt : Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  private static String stripBom(String s) {
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  private static ConfigException unreadable(Path p, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new ConfigException("catalog " + p + " does not exist");
    }
    if (e instanceof CharacterCodingException) {
      return new ConfigException("catalog " + p + " is not UTF-8 text");
    }
    return new ConfigException("cannot read catalog " + p + ": " + e.getMessage());
  }

  /** A reader over the file, gunzipping when it starts with gzip's magic bytes; strict UTF-8. */
  private static BufferedReader open(Path p) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new BufferedReader(
        new InputStreamReader(
            in,
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)),
        1 << 16);
  }

  /** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
  static final class CsvReader {
    private final BufferedReader in;
    private long line;
    private long recordStart;

    CsvReader(BufferedReader in) {
      this.in = in;
    }

    long recordStartLine() {
      return recordStart;
    }

    List<String> next() throws IOException {
      String l = in.readLine();
      if (l == null) {
        return null;
      }
      line++;
      recordStart = line;
      List<String> fields = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      boolean quoted = false;
      int i = 0;
      while (true) {
        if (i >= l.length()) {
          if (quoted) {
            String more = in.readLine();
            if (more == null) {
              throw new IOException("unterminated quoted field starting on line " + recordStart);
            }
            line++;
            cur.append('\n');
            l = more;
            i = 0;
            continue;
          }
          fields.add(cur.toString());
          return fields;
        }
        char c = l.charAt(i++);
        if (quoted) {
          if (c == '"') {
            if (i < l.length() && l.charAt(i) == '"') {
              cur.append('"');
              i++;
            } else {
              quoted = false;
            }
          } else {
            cur.append(c);
          }
        } else if (c == '"' && cur.length() == 0) {
          quoted = true;
        } else if (c == ',') {
          fields.add(cur.toString());
          cur.setLength(0);
        } else {
          cur.append(c);
        }
      }
    }
  }
}
