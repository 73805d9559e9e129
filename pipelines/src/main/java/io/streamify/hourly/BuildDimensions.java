package io.streamify.hourly;

import io.streamify.hourly.grouping.Grouping;
import io.streamify.lake.Hours;
import io.streamify.warehouse.Keys;
import io.streamify.warehouse.UsStates;
import io.streamify.warehouse.WarehouseTable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * The dimensions, rebuilt whole from the summaries of every processed hour (and the catalog): each
 * a pure function of those inputs, so the order in which hours were processed never shows. Every
 * dimension has its unknown member under key 0.
 */
public final class BuildDimensions {
  /** The expiration of a current dim_users row. */
  public static final long END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z").toEpochMilli();

  private BuildDimensions() {}

  /** dim_users: type 2 on level, one row per user and level period, from level observations. */
  public static PCollection<GenericRecord> users(PCollection<GenericRecord> levels) {
    AvroCoder<GenericRecord> coder = AvroCoder.of(WarehouseTable.DIM_USERS.schema());
    PCollection<GenericRecord> users =
        levels
            .apply(
                "ByUser",
                ParDo.of(
                    new DoFn<GenericRecord, KV<Long, GenericRecord>>() {
                      @ProcessElement
                      public void process(
                          @Element GenericRecord r, OutputReceiver<KV<Long, GenericRecord>> o) {
                        o.output(KV.of((Long) r.get("user_id"), r));
                      }
                    }))
            .setCoder(KvCoder.of(VarLongCoder.of(), AvroCoder.of(Summary.USER_LEVELS.schema())))
            .apply("UserObservations", Grouping.byKey())
            .apply("Versions", ParDo.of(new UserVersionsFn()))
            .setCoder(coder);
    GenericRecord unknown = new GenericData.Record(WarehouseTable.DIM_USERS.schema());
    unknown.put("user_key", Keys.UNKNOWN);
    unknown.put("user_id", Keys.UNKNOWN);
    unknown.put("level", "unknown");
    unknown.put("row_activation", 0L);
    unknown.put("row_expiration", END_OF_TIME);
    unknown.put("is_current", true);
    return withUnknown(users, unknown, "Users");
  }

  static final class UserVersionsFn extends DoFn<KV<Long, Iterable<GenericRecord>>, GenericRecord> {
    @ProcessElement
    public void process(
        @Element KV<Long, Iterable<GenericRecord>> user, OutputReceiver<GenericRecord> out) {
      List<GenericRecord> points = new ArrayList<>();
      user.getValue().forEach(points::add);
      points.sort(Summaries.OBSERVATION_ORDER);
      // Versions as (activation, level); a change at the instant of the previous one replaces it.
      List<long[]> starts = new ArrayList<>();
      List<String> levels = new ArrayList<>();
      String firstName = null;
      String lastName = null;
      String gender = null;
      Long registration = null;
      for (GenericRecord p : points) {
        firstName = firstName != null ? firstName : ModelEvents.optionalText(p, "first_name");
        lastName = lastName != null ? lastName : ModelEvents.optionalText(p, "last_name");
        gender = gender != null ? gender : ModelEvents.optionalText(p, "gender");
        registration = registration != null ? registration : (Long) p.get("registration");
        long ts = (Long) p.get("ts");
        String level = p.get("level").toString();
        int last = levels.size() - 1;
        if (last >= 0 && levels.get(last).equals(level)) {
          continue;
        }
        if (last >= 0 && starts.get(last)[0] == ts) {
          starts.remove(last);
          levels.remove(last);
          if (last > 0 && levels.get(last - 1).equals(level)) {
            continue;
          }
        }
        starts.add(new long[] {ts});
        levels.add(level);
      }
      for (int i = 0; i < levels.size(); i++) {
        long activation = starts.get(i)[0];
        boolean current = i == levels.size() - 1;
        GenericRecord r = new GenericData.Record(WarehouseTable.DIM_USERS.schema());
        r.put("user_key", Keys.userVersion(user.getKey(), activation));
        r.put("user_id", user.getKey());
        r.put("first_name", firstName);
        r.put("last_name", lastName);
        r.put("gender", gender);
        r.put("registration", registration);
        r.put("level", levels.get(i));
        r.put("row_activation", activation);
        r.put("row_expiration", current ? END_OF_TIME : starts.get(i + 1)[0]);
        r.put("is_current", current);
        out.output(r);
      }
    }
  }

  /** dim_location: one row per place seen, with the state's name. */
  public static PCollection<GenericRecord> locations(PCollection<GenericRecord> seen) {
    PCollection<GenericRecord> rows =
        onePer(seen, "location_key", Summary.LOCATIONS)
            .apply(
                "LocationRows",
                ParDo.of(
                    new DoFn<GenericRecord, GenericRecord>() {
                      @ProcessElement
                      public void process(
                          @Element GenericRecord l, OutputReceiver<GenericRecord> out) {
                        GenericRecord r =
                            new GenericData.Record(WarehouseTable.DIM_LOCATION.schema());
                        String state = l.get("state").toString();
                        r.put("location_key", l.get("location_key"));
                        r.put("city", l.get("city").toString());
                        r.put("state_code", state);
                        r.put("state_name", UsStates.name(state));
                        r.put("zip", l.get("zip").toString());
                        r.put("latitude", l.get("latitude"));
                        r.put("longitude", l.get("longitude"));
                        out.output(r);
                      }
                    }))
            .setCoder(AvroCoder.of(WarehouseTable.DIM_LOCATION.schema()));
    GenericRecord unknown = new GenericData.Record(WarehouseTable.DIM_LOCATION.schema());
    unknown.put("location_key", Keys.UNKNOWN);
    unknown.put("city", UsStates.UNKNOWN);
    unknown.put("state_code", "");
    unknown.put("state_name", UsStates.UNKNOWN);
    unknown.put("zip", "");
    return withUnknown(rows, unknown, "Locations");
  }

  /**
   * dim_songs: the catalog's songs, one row per (artist, title) however often the catalog lists it,
   * plus songs heard that it lacks.
   */
  public static PCollection<GenericRecord> songs(
      PCollection<GenericRecord> heard, PCollection<GenericRecord> catalog) {
    AvroCoder<GenericRecord> coder = AvroCoder.of(WarehouseTable.DIM_SONGS.schema());
    PCollection<GenericRecord> fromCatalog =
        catalog
            .apply(
                "CatalogSongRows",
                ParDo.of(
                    new DoFn<GenericRecord, GenericRecord>() {
                      @ProcessElement
                      public void process(
                          @Element GenericRecord c, OutputReceiver<GenericRecord> out) {
                        String artist = c.get("artist_name").toString();
                        String title = c.get("title").toString();
                        long key = Keys.song(artist, title);
                        if (key != Keys.UNKNOWN) {
                          out.output(
                              song(
                                  key,
                                  artist,
                                  title,
                                  (Double) c.get("duration"),
                                  (Integer) c.get("year"),
                                  ModelEvents.optionalText(c, "song_id"),
                                  true));
                        }
                      }
                    }))
            .setCoder(coder);
    PCollection<GenericRecord> fromEvents =
        heard
            .apply(
                "HeardSongRows",
                ParDo.of(
                    new DoFn<GenericRecord, GenericRecord>() {
                      @ProcessElement
                      public void process(
                          @Element GenericRecord s, OutputReceiver<GenericRecord> out) {
                        long key = (Long) s.get("song_key");
                        if (key
                            != Keys
                                .UNKNOWN) { // an artist heard without a title: no song of its own
                          out.output(
                              song(
                                  key,
                                  s.get("artist").toString(),
                                  s.get("title").toString(),
                                  (Double) s.get("duration"),
                                  null,
                                  null,
                                  false));
                        }
                      }
                    }))
            .setCoder(coder);
    PCollection<GenericRecord> rows =
        onePer(
            PCollectionList.of(fromCatalog)
                .and(fromEvents)
                .apply("AllSongs", Flatten.pCollections()),
            "song_key",
            coder,
            "Songs");
    GenericRecord unknown =
        song(Keys.UNKNOWN, UsStates.UNKNOWN, UsStates.UNKNOWN, null, null, null, false);
    unknown.put("artist_key", Keys.UNKNOWN);
    return withUnknown(rows, unknown, "Songs");
  }

  static GenericRecord song(
      long key,
      String artist,
      String title,
      Double duration,
      Integer year,
      String songId,
      boolean inCatalog) {
    GenericRecord r = new GenericData.Record(WarehouseTable.DIM_SONGS.schema());
    r.put("song_key", key);
    r.put("title", title);
    r.put("artist_key", Keys.artist(artist));
    r.put("artist_name", artist);
    r.put("duration", duration);
    r.put("year", year);
    r.put("song_id", songId);
    r.put("in_catalog", inCatalog);
    return r;
  }

  /** dim_artists: the artists of the catalog and of the songs heard. */
  public static PCollection<GenericRecord> artists(
      PCollection<GenericRecord> heard, PCollection<GenericRecord> catalog) {
    AvroCoder<GenericRecord> coder = AvroCoder.of(WarehouseTable.DIM_ARTISTS.schema());
    PCollection<GenericRecord> fromCatalog =
        catalog
            .apply(
                "CatalogArtistRows",
                ParDo.of(
                    new DoFn<GenericRecord, GenericRecord>() {
                      @ProcessElement
                      public void process(
                          @Element GenericRecord c, OutputReceiver<GenericRecord> out) {
                        String name = c.get("artist_name").toString();
                        if (Keys.artist(name) != Keys.UNKNOWN) {
                          out.output(artist(name, ModelEvents.optionalText(c, "artist_id"), true));
                        }
                      }
                    }))
            .setCoder(coder);
    PCollection<GenericRecord> fromEvents =
        heard
            .apply(
                "HeardArtistRows",
                ParDo.of(
                    new DoFn<GenericRecord, GenericRecord>() {
                      @ProcessElement
                      public void process(
                          @Element GenericRecord s, OutputReceiver<GenericRecord> out) {
                        out.output(artist(s.get("artist").toString(), null, false));
                      }
                    }))
            .setCoder(coder);
    PCollection<GenericRecord> rows =
        onePer(
            PCollectionList.of(fromCatalog)
                .and(fromEvents)
                .apply("AllArtists", Flatten.pCollections()),
            "artist_key",
            coder,
            "Artists");
    GenericRecord unknown = artist(UsStates.UNKNOWN, null, false);
    unknown.put("artist_key", Keys.UNKNOWN);
    return withUnknown(rows, unknown, "Artists");
  }

  static GenericRecord artist(String name, String artistId, boolean inCatalog) {
    GenericRecord r = new GenericData.Record(WarehouseTable.DIM_ARTISTS.schema());
    r.put("artist_key", Keys.artist(name));
    r.put("name", name);
    r.put("artist_id", artistId);
    r.put("in_catalog", inCatalog);
    return r;
  }

  /** dim_datetime: every hour of every day from the first processed hour's to the last's. */
  public static PCollection<GenericRecord> datetimes(PCollection<GenericRecord> hourCounts) {
    return hourCounts
        .apply(
            "HourStarts",
            ParDo.of(
                new DoFn<GenericRecord, Long>() {
                  @ProcessElement
                  public void process(@Element GenericRecord r, OutputReceiver<Long> out) {
                    out.output((Long) r.get("hour_start"));
                  }
                }))
        .apply("FirstAndLast", Combine.globally(new MinMax()).withoutDefaults())
        .apply(
            "EveryHour",
            ParDo.of(
                new DoFn<KV<Long, Long>, GenericRecord>() {
                  @ProcessElement
                  public void process(
                      @Element KV<Long, Long> range, OutputReceiver<GenericRecord> out) {
                    long day = 86_400_000L;
                    long first = Math.floorDiv(range.getKey(), day) * day;
                    long last = Math.floorDiv(range.getValue(), day) * day + day;
                    for (long h = first; h < last; h += Hours.MILLIS) {
                      out.output(datetime(h));
                    }
                  }
                }))
        .setCoder(AvroCoder.of(WarehouseTable.DIM_DATETIME.schema()));
  }

  static GenericRecord datetime(long hourStart) {
    LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(hourStart), ZoneOffset.UTC);
    DayOfWeek dow = t.getDayOfWeek();
    GenericRecord r = new GenericData.Record(WarehouseTable.DIM_DATETIME.schema());
    r.put("datetime_key", Hours.datetimeKey(hourStart));
    r.put("hour_start", hourStart);
    r.put("date", (int) t.toLocalDate().toEpochDay());
    r.put("year", t.getYear());
    r.put("quarter", (t.getMonthValue() - 1) / 3 + 1);
    r.put("month", t.getMonthValue());
    r.put("month_name", t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
    r.put("day", t.getDayOfMonth());
    r.put("hour", t.getHour());
    r.put("day_of_week", dow.getValue());
    r.put("day_name", dow.getDisplayName(TextStyle.FULL, Locale.ENGLISH));
    r.put("week_of_year", t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    r.put("is_weekend", dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY);
    return r;
  }

  /** The least and greatest value, as (min, max). */
  static final class MinMax extends Combine.CombineFn<Long, long[], KV<Long, Long>> {
    @Override
    public long[] createAccumulator() {
      return new long[] {Long.MAX_VALUE, Long.MIN_VALUE};
    }

    @Override
    public long[] addInput(long[] acc, Long v) {
      acc[0] = Math.min(acc[0], v);
      acc[1] = Math.max(acc[1], v);
      return acc;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accs) {
      long[] m = createAccumulator();
      for (long[] a : accs) {
        m[0] = Math.min(m[0], a[0]);
        m[1] = Math.max(m[1], a[1]);
      }
      return m;
    }

    @Override
    public KV<Long, Long> extractOutput(long[] acc) {
      return KV.of(acc[0], acc[1]);
    }
  }

  private static PCollection<GenericRecord> onePer(
      PCollection<GenericRecord> rows, String key, Summary summary) {
    return onePer(rows, key, AvroCoder.of(summary.schema()), summary.name());
  }

  /**
   * One row per key: a catalog row over one from events, then the least in Avro's order; so
   * duplicates never multiply a member and every run picks the same row.
   */
  private static PCollection<GenericRecord> onePer(
      PCollection<GenericRecord> rows, String key, AvroCoder<GenericRecord> coder, String name) {
    SerializableFunction<GenericRecord, Long> keyOf = r -> (Long) r.get(key);
    return rows.apply(
            "Key" + name,
            ParDo.of(
                new DoFn<GenericRecord, KV<Long, GenericRecord>>() {
                  @ProcessElement
                  public void process(
                      @Element GenericRecord r, OutputReceiver<KV<Long, GenericRecord>> o) {
                    o.output(KV.of(keyOf.apply(r), r));
                  }
                }))
        .setCoder(KvCoder.of(VarLongCoder.of(), coder))
        .apply("One" + name, Grouping.combining(new Preferred()))
        .apply("Rows" + name, Values.create())
        .setCoder(coder);
  }

  static final class Preferred extends Combine.BinaryCombineFn<GenericRecord> {
    @Override
    public GenericRecord apply(GenericRecord a, GenericRecord b) {
      Object ca = a.getSchema().getField("in_catalog") == null ? null : a.get("in_catalog");
      Object cb = ca == null ? null : b.get("in_catalog");
      if (ca != null && !ca.equals(cb)) {
        return Boolean.TRUE.equals(ca) ? a : b;
      }
      return GenericData.get().compare(a, b, a.getSchema()) <= 0 ? a : b;
    }
  }

  private static PCollection<GenericRecord> withUnknown(
      PCollection<GenericRecord> rows, GenericRecord unknown, String name) {
    PCollection<GenericRecord> u =
        rows.getPipeline().apply("Unknown" + name, Create.of(unknown).withCoder(rows.getCoder()));
    return PCollectionList.of(rows).and(u).apply("With" + name, Flatten.pCollections());
  }
}
