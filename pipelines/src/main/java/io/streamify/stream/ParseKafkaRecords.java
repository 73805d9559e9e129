package io.streamify.stream;

import io.streamify.events.AvroBytes;
import io.streamify.events.EventParser;
import io.streamify.events.EventTime;
import io.streamify.events.InvalidEventException;
import io.streamify.events.LakeTable;
import io.streamify.lake.LakeKey;
import io.streamify.lake.LakeLayout;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Parses and validates batches of Kafka records into typed lake records: valid events go to {@link
 * #EVENTS}, everything else to {@link #DEAD_LETTERS} with the raw payload, the reason, and the
 * record's topic, partition, offset and Kafka timestamp. Every event keeps its Kafka partition and
 * offset (the ledger fields). Nothing is dropped and nothing throws.
 *
 * <p>Both outputs are {@code KV<lake key, Avro block>} (see {@link LakeKey}, {@link AvroBytes}):
 * the records of one input batch that share a lake key and a window travel as one element, so a
 * window assigned downstream takes each element whole and the costs per element are paid per batch.
 *
 * <p><b>Time.</b> The batch's timestamp is its <em>arrival</em> time: no earlier than the watermark
 * when it was read ({@link EventTimePolicy}), so the runner's watermark downstream cannot pass it
 * while the batch is in flight. An event whose two-minute window, plus the allowed lateness, still
 * reaches the arrival time is stamped with its own {@code ts} (the earliest of its block's) and
 * goes to its event-time window: on time, or in a late pane. An event whose window had expired by
 * then would be dropped by the runner, so it is stamped with the arrival time instead and keyed for
 * an <em>arrival file</em> of its own hour. Dead letters are stamped with the newest stamp among
 * the batch's events (at least the arrival time, at most the pipeline's clock) and go to that
 * hour's dead-letter partition, so one old event in a batch does not carry the batch's dead letters
 * off to its own hour. Either way every element is at or after the arrival time minus window and
 * lateness, and never droppable (docs/delivery.md).
 *
 * <p>Counters (namespace {@value #METRICS}): {@code <topic>_read}, {@code <topic>_parsed}, {@code
 * <topic>_beyond_lateness} (parsed events sent to arrival files), {@code <topic>_deadlettered} and
 * {@code deadletter_<reason>}.
 */
public final class ParseKafkaRecords
    extends PTransform<PCollection<List<KafkaRecord<byte[], byte[]>>>, PCollectionTuple> {
  public static final String METRICS = StreamCounters.NAMESPACE;
  public static final TupleTag<KV<String, byte[]>> EVENTS = new TupleTag<>() {};
  public static final TupleTag<KV<String, byte[]>> DEAD_LETTERS = new TupleTag<>() {};

  private final String topicPrefix;
  private final int maxRecordBytes;
  private final int shards;
  private final long windowMillis;
  private final long latenessMillis;
  private final long maxAheadMillis;

  /**
   * @param window the size of the event-time windows the output is assigned to downstream
   * @param allowedLateness the allowed lateness of those windows
   * @param maxAhead how far an event's {@code ts} may be ahead of the wall clock; further ahead it
   *     is a dead letter, {@code ts_in_future}
   */
  public ParseKafkaRecords(
      String topicPrefix,
      int maxRecordBytes,
      int shards,
      Duration window,
      Duration allowedLateness,
      Duration maxAhead) {
    this.topicPrefix = topicPrefix;
    this.maxRecordBytes = maxRecordBytes;
    this.shards = shards;
    this.windowMillis = window.getMillis();
    this.latenessMillis = allowedLateness.getMillis();
    this.maxAheadMillis = maxAhead.getMillis();
  }

  @Override
  public PCollectionTuple expand(PCollection<List<KafkaRecord<byte[], byte[]>>> batches) {
    return batches.apply(
        "ParseAndValidate",
        ParDo.of(
                new ParseFn(
                    topicPrefix,
                    maxRecordBytes,
                    shards,
                    windowMillis,
                    latenessMillis,
                    maxAheadMillis))
            .withOutputTags(EVENTS, TupleTagList.of(DEAD_LETTERS)));
  }

  static final class ParseFn extends DoFn<List<KafkaRecord<byte[], byte[]>>, KV<String, byte[]>> {
    private final String topicPrefix;
    private final int maxRecordBytes;
    private final int shards;
    private final long windowMillis;
    private final long latenessMillis;
    private final long maxAheadMillis;
    private transient EventParser parser;
    private transient AvroBytes avro;
    private transient StreamCounters counters;

    ParseFn(
        String topicPrefix,
        int maxRecordBytes,
        int shards,
        long windowMillis,
        long latenessMillis,
        long maxAheadMillis) {
      this.topicPrefix = topicPrefix;
      this.maxRecordBytes = maxRecordBytes;
      this.shards = shards;
      this.windowMillis = windowMillis;
      this.latenessMillis = latenessMillis;
      this.maxAheadMillis = maxAheadMillis;
    }

    /**
     * An event is stamped with its own ts only while its window has not expired at the batch's
     * arrival time, so an output is never earlier than the input by more than a window plus the
     * allowed lateness.
     */
    @Override
    @SuppressWarnings("deprecation") // the bound is what makes the shift safe; see the class doc
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(windowMillis + latenessMillis);
    }

    @Setup
    public void setup() {
      parser = new EventParser();
      avro = new AvroBytes();
      counters = new StreamCounters();
    }

    /** The records of one batch bound for one lake key and window. */
    private static final class Block {
      final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
      long earliest = Long.MAX_VALUE;
    }

    @ProcessElement
    public void process(
        @Element List<KafkaRecord<byte[], byte[]>> batch,
        @Timestamp Instant arrived,
        MultiOutputReceiver out) {
      Map<String, Block> events = new HashMap<>();
      Map<String, Block> deadLetters = new HashMap<>();
      long now = System.currentTimeMillis();
      List<GenericRecord> dead = new ArrayList<>();
      long newest = arrived.getMillis();
      for (KafkaRecord<byte[], byte[]> record : batch) {
        newest = Math.max(newest, parse(record, arrived.getMillis(), now, events, dead));
      }
      // Dead letters go with the newest event of their batch (never before its arrival, never
      // past the pipeline's clock): one old event in a batch does not carry them off to its hour.
      long deadAt = Math.max(arrived.getMillis(), Math.min(newest, now));
      for (GenericRecord d : dead) {
        int shard =
            Math.floorMod(
                Long.hashCode((Long) d.get("offset") * 31 + (Integer) d.get("partition")), shards);
        String key =
            new LakeKey(LakeTable.DEADLETTER, LakeLayout.hourPartition(deadAt), shard).encode();
        avro.append(LakeTable.DEADLETTER, d, block(deadLetters, key, deadAt).bytes);
      }
      emit(events, out.get(EVENTS));
      emit(deadLetters, out.get(DEAD_LETTERS));
    }

    /** Parses a record into an event block or a dead letter; returns the event's stamp or MIN. */
    private long parse(
        KafkaRecord<byte[], byte[]> record,
        long arrival,
        long now,
        Map<String, Block> events,
        List<GenericRecord> deadLetters) {
      String topic = record.getTopic();
      counters.inc(topic + "_read", 1);
      byte[] value = record.getKV().getValue();
      Optional<LakeTable> table = LakeTable.forTopic(topic, topicPrefix);
      try {
        if (table.isEmpty()) {
          throw new InvalidEventException(
              "unknown_topic",
              "topic "
                  + topic
                  + " is not one of the event topics"
                  + (topicPrefix.isEmpty() ? "" : " with prefix \"" + topicPrefix + "\""));
        }
        if (value != null && value.length > maxRecordBytes) {
          throw new InvalidEventException(
              "payload_too_large",
              "the value has " + value.length + " bytes, more than the limit of " + maxRecordBytes);
        }
        GenericRecord event = parser.parse(table.get(), value);
        long ts = (Long) event.get("ts");
        if (ts != EventTime.of(value)) {
          throw new InvalidEventException(
              "ts_mismatch", "ts " + ts + " differs from the event time read from the record");
        }
        if (ts - maxAheadMillis > now) {
          throw new InvalidEventException(
              "ts_in_future",
              "ts "
                  + java.time.Instant.ofEpochMilli(ts)
                  + " is more than "
                  + maxAheadMillis / 60_000
                  + " minutes ahead of the pipeline's"
                  + " clock ("
                  + java.time.Instant.ofEpochMilli(now)
                  + ")");
        }
        event.put(LakeTable.KAFKA_PARTITION, record.getPartition());
        event.put(LakeTable.KAFKA_OFFSET, record.getOffset());
        int shard =
            Math.floorMod(
                Long.hashCode(
                    (Long) event.get("sessionId") * 31 + (Integer) event.get("itemInSession")),
                shards);
        // The partition is always the event's hour; past its window's expiry, by arrival window.
        String partition = LakeLayout.hourPartition(ts);
        long windowEnd = Math.floorDiv(ts, windowMillis) * windowMillis + windowMillis;
        boolean expired = windowEnd - 1 + latenessMillis < arrival;
        String key = new LakeKey(table.get(), partition, shard, expired).encode();
        avro.append(table.get(), event, block(events, key, expired ? arrival : ts).bytes);
        counters.inc(topic + "_parsed", 1);
        if (expired) {
          counters.inc(topic + "_beyond_lateness", 1);
        }
        return expired ? arrival : ts;
      } catch (InvalidEventException e) {
        counters.inc(topic + "_deadlettered", 1);
        counters.inc("deadletter_" + e.code(), 1);
        deadLetters.add(deadLetter(record, e));
        return Long.MIN_VALUE;
      }
    }

    private Block block(Map<String, Block> blocks, String key, long timestamp) {
      long window = Math.floorDiv(timestamp, windowMillis);
      Block b = blocks.computeIfAbsent(key + "@" + window, k -> new Block());
      b.earliest = Math.min(b.earliest, timestamp);
      return b;
    }

    private static void emit(Map<String, Block> blocks, OutputReceiver<KV<String, byte[]>> out) {
      for (var e : blocks.entrySet()) {
        String key = e.getKey().substring(0, e.getKey().lastIndexOf('@'));
        out.outputWithTimestamp(
            KV.of(key, e.getValue().bytes.toByteArray()), new Instant(e.getValue().earliest));
      }
    }

    private static GenericRecord deadLetter(
        KafkaRecord<byte[], byte[]> r, InvalidEventException e) {
      GenericData.Record d = new GenericData.Record(LakeTable.DEADLETTER.schema());
      d.put("topic", r.getTopic());
      d.put("partition", r.getPartition());
      d.put("offset", r.getOffset());
      d.put("kafka_timestamp", r.getTimestamp());
      byte[] key = r.getKV().getKey();
      d.put("key", key == null ? null : ByteBuffer.wrap(key));
      byte[] value = r.getKV().getValue();
      d.put("payload", ByteBuffer.wrap(value == null ? new byte[0] : value));
      d.put("error", e.code());
      d.put("error_detail", e.getMessage());
      return d;
    }
  }
}
