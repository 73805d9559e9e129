package io.streamify.hourly.summaries;

import io.streamify.rows.Column.Timestamp;
import io.streamify.rows.RowType;

/**
 * A member of a dimension (a user, a place, a song) within one hour: the key a summary reduces its
 * observations by.
 *
 * @param hourStart the hour, epoch ms UTC
 * @param member the member's natural or hashed key (user id, location key, song or artist key)
 */
public record HourMember(@Timestamp long hourStart, long member) {
  public static final RowType<HourMember> TYPE = RowType.of(HourMember.class, Summary.NAMESPACE);
}
