package io.streamify.hourly;

import io.streamify.events.EventParser;
import io.streamify.events.LakeTable;
import io.streamify.lake.LakeLayout;
import io.streamify.warehouse.CatalogSong;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;

/**
 * A small lake written by hand: events as the stream pipeline writes them (JSON through the same
 * parser, Parquet in hour partitions, one file per name given), and a song catalog.
 */
public final class HandMadeLake {
  public record User(long id, String first, String last, String gender, String registration) {}

  public record Place(String city, String zip, String state, double lon, double lat) {}

  private final Map<String, List<GenericRecord>> files = new LinkedHashMap<>();
  private final Map<String, Schema> schemas = new LinkedHashMap<>();
  private final EventParser parser = new EventParser();
  private GenericRecord last;

  /** Sets a field of the last event as it lands in the lake, past the parser's own cleaning. */
  public HandMadeLake asStored(String field, Object value) {
    last.put(field, value);
    return this;
  }

  public static long ts(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  /** Adds an event to the file {@code name} of its table's hour partition. */
  public HandMadeLake event(
      LakeTable table,
      String file,
      String at,
      long session,
      int item,
      String auth,
      String level,
      User user,
      Place place,
      Object... extra) {
    StringBuilder json = new StringBuilder("{");
    field(json, "ts", ts(at));
    field(json, "sessionId", session);
    field(json, "itemInSession", item);
    field(json, "auth", auth);
    field(json, "level", level);
    field(json, "city", place.city());
    field(json, "zip", place.zip());
    field(json, "state", place.state());
    field(json, "userAgent", "\"Mozilla/5.0 (Windows NT 10.0)\"");
    field(json, "lon", place.lon());
    field(json, "lat", place.lat());
    if (user != null) {
      field(json, "userId", user.id());
      field(json, "firstName", user.first());
      field(json, "lastName", user.last());
      field(json, "gender", user.gender());
      field(json, "registration", ts(user.registration()));
    }
    for (int i = 0; i < extra.length; i += 2) {
      field(json, (String) extra[i], extra[i + 1]);
    }
    json.setCharAt(json.length() - 1, '}');
    try {
      GenericRecord r = parser.parse(table, json.toString().getBytes(StandardCharsets.UTF_8));
      String path = LakeLayout.partitionFolder(table, ts(at)) + "/" + file + ".parquet";
      files.computeIfAbsent(path, k -> new ArrayList<>()).add(r);
      schemas.put(path, table.schema());
      last = r;
    } catch (Exception e) {
      throw new IllegalArgumentException(json + ": " + e.getMessage(), e);
    }
    return this;
  }

  /** A row of the song catalog. */
  public HandMadeLake song(
      String songId, String artistId, String artist, String title, double duration, int year) {
    GenericRecord r = new GenericData.Record(CatalogSong.SCHEMA);
    r.put("song_id", songId);
    r.put("track_id", "TR" + songId);
    r.put("artist_id", artistId);
    r.put("artist_name", artist);
    r.put("title", title);
    r.put("duration", duration);
    r.put("year", year);
    String path = LakeLayout.CATALOG_FOLDER + "/songs.parquet";
    files.computeIfAbsent(path, k -> new ArrayList<>()).add(r);
    schemas.put(path, CatalogSong.SCHEMA);
    return this;
  }

  private static void field(StringBuilder json, String name, Object value) {
    json.append('"').append(name).append("\":");
    if (value instanceof String s) {
      json.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    } else {
      json.append(value);
    }
    json.append(',');
  }

  public void writeTo(Path lake) throws IOException {
    for (var e : files.entrySet()) {
      Path file = lake.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      FileIO.Sink<GenericRecord> sink = ParquetIO.sink(schemas.get(e.getKey()));
      try (FileChannel channel =
          FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        sink.open(channel);
        for (GenericRecord r : e.getValue()) {
          sink.write(r);
        }
        sink.flush();
      }
    }
  }
}
