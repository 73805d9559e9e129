package io.streamify.lake;

import io.streamify.events.LakeTable;

/**
 * The grouping key of a record bound for the lake: its table, hour partition and shard, written as
 * {@code table|dt=…/hr=…|shard}. One group per key, window and pane becomes one Parquet file.
 */
public record LakeKey(LakeTable table, String partition, int shard) {
  public String encode() {
    return table.tableName() + "|" + partition + "|" + shard;
  }

  public static LakeKey decode(String key) {
    int a = key.indexOf('|');
    int b = key.lastIndexOf('|');
    return new LakeKey(LakeTable.byName(key.substring(0, a)), key.substring(a + 1, b),
        Integer.parseInt(key.substring(b + 1)));
  }
}
