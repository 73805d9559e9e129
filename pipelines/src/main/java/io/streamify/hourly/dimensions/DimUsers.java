package io.streamify.hourly.dimensions;

import io.streamify.hourly.grouping.Grouping;
import io.streamify.hourly.summaries.UserLevel;
import io.streamify.warehouse.Keys;
import io.streamify.warehouse.rows.DimUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * dim_users, slowly changing dimension type 2 on {@code level}: the level observations of every
 * processed hour ({@link io.streamify.hourly.summaries.Summary#USER_LEVELS}) → one row per user and
 * level period, plus the unknown user (key 0).
 *
 * <p>A user's observations are taken in {@link UserLevel#TIME_ORDER}. A version starts at the first
 * observation of a level other than the previous version's and ends where the next starts; the last
 * is current and ends at {@link #END_OF_TIME}. A change at the very instant of the previous one
 * replaces it (down and up within one millisecond leave one version). Name, gender and registration
 * are the first non-null ones the user's observations give, the same on every version. A pure
 * function of the observations: the order hours were processed in never shows.
 */
public final class DimUsers extends PTransform<PCollection<UserLevel>, PCollection<DimUser>> {
  /** The expiration of a current version: 9999-12-31T00:00Z. */
  public static final long END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z").toEpochMilli();

  /** The unknown user, key 0: what facts without a known user refer to. */
  public static final DimUser UNKNOWN =
      new DimUser(
          Keys.UNKNOWN, Keys.UNKNOWN, null, null, null, null, "unknown", 0L, END_OF_TIME, true);

  @Override
  public PCollection<DimUser> expand(PCollection<UserLevel> levels) {
    PCollection<DimUser> users =
        levels
            .apply(
                "ByUser",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.longs(), TypeDescriptor.of(UserLevel.class)))
                    .via(l -> KV.of(l.userId(), l)))
            .setCoder(KvCoder.of(VarLongCoder.of(), UserLevel.TYPE.coder()))
            .apply("UserObservations", Grouping.byKey())
            .apply("Versions", ParDo.of(new VersionsFn()))
            .setCoder(DimUser.TYPE.coder());
    return Members.withUnknown(users, DimUser.TYPE, UNKNOWN);
  }

  static final class VersionsFn extends DoFn<KV<Long, Iterable<UserLevel>>, DimUser> {
    @ProcessElement
    public void process(@Element KV<Long, Iterable<UserLevel>> user, OutputReceiver<DimUser> out) {
      List<UserLevel> points = new ArrayList<>();
      user.getValue().forEach(points::add);
      versions(user.getKey(), points).forEach(out::output);
    }
  }

  /** The versions of one user, from their observations in any order. */
  public static List<DimUser> versions(long userId, List<UserLevel> observations) {
    List<UserLevel> points = new ArrayList<>(observations);
    points.sort(UserLevel.TIME_ORDER);
    // Versions as (activation, level); a change at the instant of the previous one replaces it.
    List<Long> starts = new ArrayList<>();
    List<String> levels = new ArrayList<>();
    String firstName = null;
    String lastName = null;
    String gender = null;
    Long registration = null;
    for (UserLevel p : points) {
      firstName = firstName != null ? firstName : p.firstName();
      lastName = lastName != null ? lastName : p.lastName();
      gender = gender != null ? gender : p.gender();
      registration = registration != null ? registration : p.registration();
      int last = levels.size() - 1;
      if (last >= 0 && levels.get(last).equals(p.level())) {
        continue;
      }
      if (last >= 0 && starts.get(last) == p.ts()) {
        starts.remove(last);
        levels.remove(last);
        if (last > 0 && levels.get(last - 1).equals(p.level())) {
          continue;
        }
      }
      starts.add(p.ts());
      levels.add(p.level());
    }
    List<DimUser> versions = new ArrayList<>();
    for (int i = 0; i < levels.size(); i++) {
      long activation = starts.get(i);
      boolean current = i == levels.size() - 1;
      versions.add(
          new DimUser(
              Keys.userVersion(userId, activation),
              userId,
              firstName,
              lastName,
              gender,
              registration,
              levels.get(i),
              activation,
              current ? END_OF_TIME : starts.get(i + 1),
              current));
    }
    return versions;
  }
}
