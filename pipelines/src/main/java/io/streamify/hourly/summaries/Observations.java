package io.streamify.hourly.summaries;

import io.streamify.hourly.staging.StagedEvent;
import io.streamify.lake.TableHour;
import io.streamify.warehouse.Keys;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * What the dimensions need of staged events, keyed by {@link HourMember} (the event's hour and the
 * member): users' level observations, places, songs heard. Events without the member (a guest, an
 * unknown place, a listen without an artist) yield none.
 */
public final class Observations {
  private Observations() {}

  /** The hour an event falls in, epoch ms. */
  static long hourOf(StagedEvent e) {
    return TableHour.of("", e.ts()).hourStart();
  }

  /**
   * Staged events of one table → level observations of their users. An event says the user's level
   * at its time ({@link UserLevel#EVENT}); a status change says the level it leads to, the other
   * one ({@link UserLevel#CHANGE}), which follows the events of the same instant.
   */
  public static final class UserLevels
      extends PTransform<PCollection<StagedEvent>, PCollection<KV<HourMember, UserLevel>>> {
    private final boolean statusChanges;

    /**
     * @param statusChanges whether the events are status_change_events
     */
    public UserLevels(boolean statusChanges) {
      this.statusChanges = statusChanges;
    }

    @Override
    public PCollection<KV<HourMember, UserLevel>> expand(PCollection<StagedEvent> events) {
      return events
          .apply("UserLevel", ParDo.of(new UserLevelFn(statusChanges)))
          .setCoder(KvCoder.of(HourMember.TYPE.coder(), UserLevel.TYPE.coder()));
    }

    static final class UserLevelFn extends DoFn<StagedEvent, KV<HourMember, UserLevel>> {
      private final boolean statusChanges;

      UserLevelFn(boolean statusChanges) {
        this.statusChanges = statusChanges;
      }

      @ProcessElement
      public void process(@Element StagedEvent e, OutputReceiver<KV<HourMember, UserLevel>> out) {
        if (e.userId() != null) {
          out.output(KV.of(new HourMember(hourOf(e), e.userId()), of(e, statusChanges)));
        }
      }
    }

    /** The observation an event of a known user makes. */
    public static UserLevel of(StagedEvent e, boolean statusChange) {
      return new UserLevel(
          e.userId(),
          e.ts(),
          statusChange ? UserLevel.CHANGE : UserLevel.EVENT,
          statusChange ? e.otherLevel() : e.level(),
          e.firstName(),
          e.lastName(),
          e.gender(),
          e.registration());
    }
  }

  /** Staged events → the places they happened in. */
  public static final class Places
      extends PTransform<PCollection<StagedEvent>, PCollection<KV<HourMember, Location>>> {
    @Override
    public PCollection<KV<HourMember, Location>> expand(PCollection<StagedEvent> events) {
      return events
          .apply("Place", ParDo.of(new PlaceFn()))
          .setCoder(KvCoder.of(HourMember.TYPE.coder(), Location.TYPE.coder()));
    }

    static final class PlaceFn extends DoFn<StagedEvent, KV<HourMember, Location>> {
      @ProcessElement
      public void process(@Element StagedEvent e, OutputReceiver<KV<HourMember, Location>> out) {
        long key = e.locationKey();
        if (key != Keys.UNKNOWN) {
          out.output(
              KV.of(
                  new HourMember(hourOf(e), key),
                  new Location(key, e.city(), e.state(), e.zip(), e.latitude(), e.longitude())));
        }
      }
    }
  }

  /**
   * Staged listens → the songs heard; a listen with an artist but no title yields its artist as a
   * song with key 0 (member: the artist's key), so that dim_artists has it.
   */
  public static final class Songs
      extends PTransform<PCollection<StagedEvent>, PCollection<KV<HourMember, Song>>> {
    @Override
    public PCollection<KV<HourMember, Song>> expand(PCollection<StagedEvent> listens) {
      return listens
          .apply("Song", ParDo.of(new SongFn()))
          .setCoder(KvCoder.of(HourMember.TYPE.coder(), Song.TYPE.coder()));
    }

    static final class SongFn extends DoFn<StagedEvent, KV<HourMember, Song>> {
      @ProcessElement
      public void process(@Element StagedEvent e, OutputReceiver<KV<HourMember, Song>> out) {
        long artist = e.artistKey();
        if (artist == Keys.UNKNOWN) {
          return;
        }
        long song = e.songKey();
        String title = e.song() == null ? "" : e.song();
        out.output(
            KV.of(
                new HourMember(hourOf(e), song != Keys.UNKNOWN ? song : artist),
                new Song(song, e.artist(), title, e.duration())));
      }
    }
  }
}
