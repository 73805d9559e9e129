package io.streamify.stream;

import io.streamify.events.AvroBytes;
import io.streamify.events.EventParser;
import io.streamify.events.InvalidEventException;
import io.streamify.events.LakeTable;
import io.streamify.lake.LakeKey;
import io.streamify.lake.LakeLayout;
import java.nio.ByteBuffer;
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
import org.joda.time.Instant;

/**
 * Parses and validates Kafka records into typed lake records: valid events go to {@link #EVENTS},
 * everything else to {@link #DEAD_LETTERS} with the raw payload, the reason, and the record's
 * topic, partition, offset and Kafka timestamp. Nothing is dropped and nothing throws. Both
 * outputs are {@code KV<lake key, Avro bytes>} (see {@link LakeKey}, {@link AvroBytes}).
 *
 * <p>Counters (namespace {@value #METRICS}): {@code <topic>_read}, {@code <topic>_parsed},
 * {@code <topic>_deadlettered} and {@code deadletter_<reason>}.
 */
public final class ParseKafkaRecords
    extends PTransform<PCollection<KafkaRecord<byte[], byte[]>>, PCollectionTuple> {
  public static final String METRICS = StreamCounters.NAMESPACE;
  public static final TupleTag<KV<String, byte[]>> EVENTS = new TupleTag<>() {};
  public static final TupleTag<KV<String, byte[]>> DEAD_LETTERS = new TupleTag<>() {};

  private final String topicPrefix;
  private final int maxRecordBytes;
  private final int shards;

  public ParseKafkaRecords(String topicPrefix, int maxRecordBytes, int shards) {
    this.topicPrefix = topicPrefix;
    this.maxRecordBytes = maxRecordBytes;
    this.shards = shards;
  }

  @Override
  public PCollectionTuple expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    return records.apply("ParseAndValidate",
        ParDo.of(new ParseFn(topicPrefix, maxRecordBytes, shards))
            .withOutputTags(EVENTS, TupleTagList.of(DEAD_LETTERS)));
  }

  static final class ParseFn extends DoFn<KafkaRecord<byte[], byte[]>, KV<String, byte[]>> {
    private final String topicPrefix;
    private final int maxRecordBytes;
    private final int shards;
    private transient EventParser parser;
    private transient AvroBytes avro;
    private transient StreamCounters counters;

    ParseFn(String topicPrefix, int maxRecordBytes, int shards) {
      this.topicPrefix = topicPrefix;
      this.maxRecordBytes = maxRecordBytes;
      this.shards = shards;
    }

    @Setup
    public void setup() {
      parser = new EventParser();
      avro = new AvroBytes();
      counters = new StreamCounters();
    }

    private void count(String name) {
      counters.inc(name, 1);
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, @Timestamp Instant timestamp,
        MultiOutputReceiver out) {
      String topic = record.getTopic();
      count(topic + "_read");
      byte[] value = record.getKV().getValue();
      Optional<LakeTable> table = LakeTable.forTopic(topic, topicPrefix);
      try {
        if (table.isEmpty()) {
          throw new InvalidEventException("unknown_topic", "topic " + topic
              + " is not one of the event topics" + (topicPrefix.isEmpty() ? ""
              : " with prefix \"" + topicPrefix + "\""));
        }
        if (value != null && value.length > maxRecordBytes) {
          throw new InvalidEventException("payload_too_large", "the value has " + value.length
              + " bytes, more than the limit of " + maxRecordBytes);
        }
        GenericRecord event = parser.parse(table.get(), value);
        long ts = (Long) event.get("ts");
        int shard = Math.floorMod(Long.hashCode((Long) event.get("sessionId") * 31
            + (Integer) event.get("itemInSession")), shards);
        // The partition is the element's hour: the event time the reader assigned, i.e. ts.
        String key = new LakeKey(table.get(), LakeLayout.hourPartition(timestamp.getMillis()),
            shard).encode();
        if (ts != timestamp.getMillis()) {
          throw new InvalidEventException("ts_mismatch", "ts " + ts
              + " differs from the event time read from the record");
        }
        out.get(EVENTS).output(KV.of(key, avro.encode(table.get(), event)));
        count(topic + "_parsed");
      } catch (InvalidEventException e) {
        count(topic + "_deadlettered");
        count("deadletter_" + e.code());
        out.get(DEAD_LETTERS).output(deadLetter(record, timestamp, e));
      }
    }

    private KV<String, byte[]> deadLetter(KafkaRecord<byte[], byte[]> r, Instant timestamp,
        InvalidEventException e) {
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
      int shard = Math.floorMod(Long.hashCode(r.getOffset() * 31 + r.getPartition()), shards);
      String lakeKey = new LakeKey(LakeTable.DEADLETTER,
          LakeLayout.hourPartition(timestamp.getMillis()), shard).encode();
      return KV.of(lakeKey, avro.encode(LakeTable.DEADLETTER, d));
    }
  }
}
