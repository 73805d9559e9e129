package io.streamify.lake;

import io.streamify.events.LakeTable;

/**
 * The grouping key of a record bound for the lake: its table, hour partition and shard, and whether
 * it goes to an <em>arrival file</em> (a record whose event-time window had expired when it
 * arrived, written to its own hour by arrival window; see {@link LakeLayout#fileName}). Encoded as
 * {@code table|dt=…/hr=…|shard} or {@code table|dt=…/hr=…|shard|arrival}. One group per key, window
 * and pane becomes one Parquet file.
 */
public record LakeKey(LakeTable table, String partition, int shard, boolean arrival) {
  private static final String ARRIVAL = "|arrival";

  public LakeKey(LakeTable table, String partition, int shard) {
    this(table, partition, shard, false);
  }

  public String encode() {
    return table.tableName() + "|" + partition + "|" + shard + (arrival ? ARRIVAL : "");
  }

  public static LakeKey decode(String key) {
    boolean arrival = key.endsWith(ARRIVAL);
    String k = arrival ? key.substring(0, key.length() - ARRIVAL.length()) : key;
    int a = k.indexOf('|');
    int b = k.lastIndexOf('|');
    return new LakeKey(
        LakeTable.byName(k.substring(0, a)),
        k.substring(a + 1, b),
        Integer.parseInt(k.substring(b + 1)),
        arrival);
  }
}
