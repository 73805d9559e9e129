package io.streamify.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The tables of the data lake: one per event topic, plus the dead letters. Each has one Avro schema
 * (the .avsc resource beside this class), used for parsing, for Parquet and in tests, and one
 * folder of the lake layout (docs/lake-layout.md).
 */
public enum LakeTable {
  LISTEN_EVENTS("listen_events", "events/listen_events"),
  PAGE_VIEW_EVENTS("page_view_events", "events/page_view_events"),
  AUTH_EVENTS("auth_events", "events/auth_events"),
  STATUS_CHANGE_EVENTS("status_change_events", "events/status_change_events"),
  DEADLETTER("deadletter", "deadletter");

  /** Ledger fields of every event table: where the stream pipeline read the record in Kafka. */
  public static final String KAFKA_PARTITION = "kafka_partition";

  public static final String KAFKA_OFFSET = "kafka_offset";

  private final String tableName;
  private final String folder;
  private volatile Schema schema;

  LakeTable(String tableName, String folder) {
    this.tableName = tableName;
    this.folder = folder;
  }

  /** The topic name for event tables (the Kafka topic without prefix); "deadletter" otherwise. */
  public String tableName() {
    return tableName;
  }

  /** Path of the table's root folder, relative to the lake. */
  public String folder() {
    return folder;
  }

  public boolean isEvent() {
    return this != DEADLETTER;
  }

  public Schema schema() {
    Schema s = schema;
    if (s == null) {
      String resource = tableName + ".avsc";
      try (InputStream in = LakeTable.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing schema resource " + resource);
        }
        s = new Schema.Parser().parse(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      schema = s;
    }
    return s;
  }

  /** The event table of a Kafka topic named {@code prefix + tableName}, if any. */
  public static Optional<LakeTable> forTopic(String topic, String prefix) {
    return Arrays.stream(values())
        .filter(LakeTable::isEvent)
        .filter(t -> topic.equals(prefix + t.tableName))
        .findFirst();
  }

  /** True for the fields the stream pipeline fills from Kafka rather than from the event. */
  public static boolean isLedgerField(String field) {
    return field.equals(KAFKA_PARTITION) || field.equals(KAFKA_OFFSET);
  }

  public static LakeTable byName(String name) {
    return Arrays.stream(values())
        .filter(t -> t.tableName.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown lake table " + name));
  }
}
