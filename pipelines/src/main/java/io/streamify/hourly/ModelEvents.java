package io.streamify.hourly;

import io.streamify.events.LakeTable;
import io.streamify.lake.Hours;
import io.streamify.lake.LakeLayout;
import io.streamify.warehouse.Keys;
import io.streamify.warehouse.UsStates;
import io.streamify.warehouse.WarehouseTable;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * One cleaned event table's rows → its fact rows ({@link #FACTS}) and what the dimensions need of
 * them, keyed by {@code <hour partition>|<member key>}: users' level observations ({@link
 * #USER_LEVELS}), places ({@link #LOCATIONS}) and songs heard ({@link #SONGS}; an artist heard with
 * an empty title too, with song key 0, so that dim_artists has it).
 *
 * <p>listen_events → fact_streams; page_view_events → fact_page_views; auth_events → fact_logins;
 * status_change_events → fact_subscription_changes, whose {@code level} is the level before the
 * change: the observation it yields is the level after it (free ↔ paid), at the change's instant.
 */
public final class ModelEvents extends PTransform<PCollection<GenericRecord>, PCollectionTuple> {
  public static final TupleTag<GenericRecord> FACTS = new TupleTag<>() {};
  public static final TupleTag<KV<String, GenericRecord>> USER_LEVELS = new TupleTag<>() {};
  public static final TupleTag<KV<String, GenericRecord>> LOCATIONS = new TupleTag<>() {};
  public static final TupleTag<KV<String, GenericRecord>> SONGS = new TupleTag<>() {};

  private final LakeTable table;

  public ModelEvents(LakeTable table) {
    this.table = table;
  }

  /** The fact table an event table feeds. */
  public static WarehouseTable factOf(LakeTable table) {
    return switch (table) {
      case LISTEN_EVENTS -> WarehouseTable.FACT_STREAMS;
      case PAGE_VIEW_EVENTS -> WarehouseTable.FACT_PAGE_VIEWS;
      case AUTH_EVENTS -> WarehouseTable.FACT_LOGINS;
      case STATUS_CHANGE_EVENTS -> WarehouseTable.FACT_SUBSCRIPTION_CHANGES;
      case DEADLETTER -> throw new IllegalArgumentException("dead letters have no facts");
    };
  }

  @Override
  public PCollectionTuple expand(PCollection<GenericRecord> events) {
    PCollectionTuple out =
        events.apply(
            "Model",
            ParDo.of(new ModelFn(table))
                .withOutputTags(FACTS, TupleTagList.of(USER_LEVELS).and(LOCATIONS).and(SONGS)));
    out.get(FACTS).setCoder(AvroCoder.of(factOf(table).schema()));
    out.get(USER_LEVELS).setCoder(keyed(Summary.USER_LEVELS));
    out.get(LOCATIONS).setCoder(keyed(Summary.LOCATIONS));
    out.get(SONGS).setCoder(keyed(Summary.SONGS));
    return out;
  }

  static KvCoder<String, GenericRecord> keyed(Summary s) {
    return KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(s.schema()));
  }

  static final class ModelFn extends DoFn<GenericRecord, GenericRecord> {
    private final LakeTable table;

    ModelFn(LakeTable table) {
      this.table = table;
    }

    @ProcessElement
    public void process(@Element GenericRecord e, MultiOutputReceiver out) {
      long ts = (Long) e.get("ts");
      String hour = LakeLayout.hourPartition(ts);
      Long userId = (Long) e.get("userId");
      String level = text(e, "level");
      long location = location(e, hour, out);

      GenericRecord fact = new GenericData.Record(factOf(table).schema());
      fact.put("ts", ts);
      fact.put("datetime_key", Hours.datetimeKey(ts));
      fact.put("session_id", e.get("sessionId"));
      fact.put("item_in_session", e.get("itemInSession"));
      fact.put("user_id", userId == null ? Keys.UNKNOWN : userId);
      fact.put("location_key", location);
      switch (table) {
        case LISTEN_EVENTS -> {
          String artist = text(e, "artist");
          String song = text(e, "song");
          long songKey = Keys.song(artist, song);
          fact.put("level", level);
          fact.put("song_key", songKey);
          fact.put("artist_key", Keys.artist(artist));
          fact.put("duration", e.get("duration"));
          fact.put("user_agent", text(e, "userAgent"));
          if (Keys.artist(artist) != Keys.UNKNOWN) {
            // Also an artist heard without a title: a dim_artists member (song_key 0 then).
            GenericRecord s = new GenericData.Record(Summary.SONGS.schema());
            s.put("song_key", songKey);
            s.put("artist", artist);
            s.put("title", song);
            s.put("duration", e.get("duration"));
            String member =
                songKey != Keys.UNKNOWN ? Long.toString(songKey) : "artist " + Keys.artist(artist);
            out.get(SONGS).output(KV.of(hour + "|" + member, s));
          }
        }
        case PAGE_VIEW_EVENTS -> {
          fact.put("level", level);
          fact.put("auth", text(e, "auth"));
          fact.put("page", text(e, "page"));
          fact.put("method", text(e, "method"));
          fact.put("status", e.get("status"));
        }
        case AUTH_EVENTS -> {
          fact.put("level", level);
          fact.put("success", e.get("success"));
        }
        case STATUS_CHANGE_EVENTS -> {
          fact.put("from_level", level);
          fact.put("to_level", otherLevel(level));
        }
        case DEADLETTER -> throw new IllegalStateException();
      }
      out.get(FACTS).output(fact);

      if (userId != null) {
        boolean change = table == LakeTable.STATUS_CHANGE_EVENTS;
        GenericRecord p = new GenericData.Record(Summary.USER_LEVELS.schema());
        p.put("user_id", userId);
        p.put("ts", ts);
        p.put("rank", change ? 1 : 0);
        p.put("level", change ? otherLevel(level) : level);
        p.put("first_name", optionalText(e, "firstName"));
        p.put("last_name", optionalText(e, "lastName"));
        p.put("gender", optionalText(e, "gender"));
        p.put("registration", e.get("registration"));
        out.get(USER_LEVELS).output(KV.of(hour + "|" + userId, p));
      }
    }

    private static long location(GenericRecord e, String hour, MultiOutputReceiver out) {
      String city = text(e, "city");
      String state = UsStates.normalize(text(e, "state"));
      String zip = text(e, "zip");
      long key = Keys.location(city, state, zip);
      if (key != Keys.UNKNOWN) {
        GenericRecord l = new GenericData.Record(Summary.LOCATIONS.schema());
        l.put("location_key", key);
        l.put("city", city);
        l.put("state", state);
        l.put("zip", zip);
        l.put("latitude", e.get("lat"));
        l.put("longitude", e.get("lon"));
        out.get(LOCATIONS).output(KV.of(hour + "|" + key, l));
      }
      return key;
    }
  }

  /** Subscription changes switch between the two levels. */
  static String otherLevel(String level) {
    return "paid".equals(level) ? "free" : "paid";
  }

  static String text(GenericRecord e, String field) {
    Object v = e.get(field);
    return v == null ? "" : v.toString();
  }

  static String optionalText(GenericRecord e, String field) {
    Object v = e.get(field);
    return v == null ? null : v.toString();
  }
}
