package io.streamify.generator.events;

import java.util.Arrays;

/**
 * Encoded records in time order: JSON bytes (each ending in a newline) in one arena, with each
 * record's timestamp, topic and Kafka key alongside. One per partition and time slice; reused.
 */
public final class RecordBatch {
  public final ByteBuf arena = new ByteBuf(1 << 16);
  private long[] ts = new long[1024];
  private byte[] topic = new byte[1024];
  private long[] key = new long[1024];
  private int[] offset = new int[1024];
  private int size;

  public void clear() {
    arena.clear();
    size = 0;
  }

  public int size() {
    return size;
  }

  /** Marks the bytes appended to the arena since {@code start} as one record. */
  public void add(long timestamp, Topic t, long k, int start) {
    if (size == ts.length) {
      int n = size * 2;
      ts = Arrays.copyOf(ts, n);
      topic = Arrays.copyOf(topic, n);
      key = Arrays.copyOf(key, n);
      offset = Arrays.copyOf(offset, n + 1);
    }
    ts[size] = timestamp;
    topic[size] = (byte) t.ordinal();
    key[size] = k;
    offset[size] = start;
    size++;
  }

  public long ts(int i) {
    return ts[i];
  }

  public Topic topic(int i) {
    return TOPICS[topic[i]];
  }

  public long key(int i) {
    return key[i];
  }

  public int offset(int i) {
    return offset[i];
  }

  /** Length of record i in bytes, including its trailing newline. */
  public int length(int i) {
    return (i + 1 < size ? offset[i + 1] : arena.size()) - offset[i];
  }

  private static final Topic[] TOPICS = Topic.values();
}
