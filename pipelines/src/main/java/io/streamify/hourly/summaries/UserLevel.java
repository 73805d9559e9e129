package io.streamify.hourly.summaries;

import io.streamify.rows.Column.Doc;
import io.streamify.rows.Column.Nullable;
import io.streamify.rows.Column.Timestamp;
import io.streamify.rows.RowType;
import java.util.Comparator;

/**
 * One observation of a user's level: what an event said the level was at its time, or what a status
 * change made it. A summary row of {@link Summary#USER_LEVELS}.
 */
public record UserLevel(
    @Doc("eventsim's userId") long userId,
    @Doc("When, UTC") @Timestamp long ts,
    @Doc(
            "0: an event's level; 1: the level a status change leads to, which follows the events"
                + " of the same instant")
        int rank,
    @Doc("free or paid") String level,
    @Doc("The event's first name") @Nullable String firstName,
    @Doc("The event's last name") @Nullable String lastName,
    @Doc("The event's gender") @Nullable String gender,
    @Doc("When the user registered, UTC") @Timestamp @Nullable Long registration) {
  public static final RowType<UserLevel> TYPE = RowType.of(UserLevel.class, Summary.NAMESPACE);

  /** The rank of an event's own level. */
  public static final int EVENT = 0;

  /** The rank of the level a status change leads to: after the events of the same instant. */
  public static final int CHANGE = 1;

  /**
   * A user's observations in time order: at one instant events before a status change, then Avro's
   * order of the rows, so that any run sorts them alike.
   */
  public static final Comparator<UserLevel> TIME_ORDER =
      Comparator.comparingLong(UserLevel::ts)
          .thenComparingInt(UserLevel::rank)
          .thenComparing(TYPE.avroOrder());
}
