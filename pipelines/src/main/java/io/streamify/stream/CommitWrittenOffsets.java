package io.streamify.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits Kafka offsets only once the records are in the lake: per partition, the offset below
 * which every record has been written to a file (an event row or a dead letter), as {@link
 * WriteLakeFiles} reports them ({@code topic|partition} → [start, end) ranges). The read itself
 * commits nothing, so a job stopped at any moment (a cancel, a crash, kill -9) restarts from the
 * first record not yet written: nothing read is lost, what was written after that point is read
 * again (duplicates, which the hourly job removes).
 *
 * <p>The first offset of a partition is the group's committed offset when this launch started
 * reading ({@link StreamPipeline#prepareConsumerGroup} commits a new group's start position before
 * the job starts, so the two agree); for a group without one and {@code
 * auto.offset.reset=earliest}, the log start. An offset never written because Kafka holds no record
 * there for this reader (a transaction's commit or abort marker, an aborted record under {@code
 * isolation.level=read_committed}, a compacted record) would hold the commit back for good: when
 * the written ranges stop at a gap, the gap is probed — read from its start — and passed over up to
 * the reader's first record in it; from that record on it waits for the record to be written,
 * without probing again.
 *
 * <p>Output: each committed offset, {@code topic|partition} → offset (for tests). Counter {@code
 * offset_commit_failures} (a failed commit is retried with the next one).
 */
public final class CommitWrittenOffsets
    extends PTransform<PCollection<KV<String, List<Long>>>, PCollection<KV<String, Long>>> {
  private static final Logger LOG = LoggerFactory.getLogger(CommitWrittenOffsets.class);
  private final Map<String, Object> consumerConfig;

  /**
   * @param consumerConfig bootstrap servers, group id, offset reset and any client setting
   */
  public CommitWrittenOffsets(Map<String, Object> consumerConfig) {
    this.consumerConfig = new HashMap<>(consumerConfig);
  }

  /** Offsets as sorted, merged [start, end) ranges, flat: [s1, e1, s2, e2, ...]. */
  public static List<Long> ranges(List<Long> offsets) {
    List<Long> sorted = new ArrayList<>(offsets);
    Collections.sort(sorted);
    List<Long> out = new ArrayList<>();
    for (long o : sorted) {
      int n = out.size();
      if (n > 0 && o <= out.get(n - 1)) {
        out.set(n - 1, Math.max(out.get(n - 1), o + 1));
      } else {
        out.add(o);
        out.add(o + 1);
      }
    }
    return out;
  }

  /** Two range lists merged into one. */
  static List<Long> merge(List<Long> a, List<Long> b) {
    List<long[]> all = new ArrayList<>();
    for (List<Long> r : List.of(a, b)) {
      for (int i = 0; i < r.size(); i += 2) {
        all.add(new long[] {r.get(i), r.get(i + 1)});
      }
    }
    all.sort((x, y) -> Long.compare(x[0], y[0]));
    List<Long> out = new ArrayList<>();
    for (long[] r : all) {
      int n = out.size();
      if (n > 0 && r[0] <= out.get(n - 1)) {
        out.set(n - 1, Math.max(out.get(n - 1), r[1]));
      } else {
        out.add(r[0]);
        out.add(r[1]);
      }
    }
    return out;
  }

  @Override
  public PCollection<KV<String, Long>> expand(PCollection<KV<String, List<Long>>> written) {
    return written
        .apply(
            "OneTimeline",
            Window.<KV<String, List<Long>>>into(new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .withAllowedLateness(org.joda.time.Duration.ZERO)
                .discardingFiredPanes())
        .apply("CommitPerPartition", ParDo.of(new CommitFn(consumerConfig)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
  }

  static final class CommitFn extends DoFn<KV<String, List<Long>>, KV<String, Long>> {
    private final Map<String, Object> consumerConfig;
    private transient KafkaConsumer<byte[], byte[]> consumer;
    private transient StreamCounters counters;

    /** Per partition, an offset a probe found a record at: not probed again while it waits. */
    private transient Map<TopicPartition, Long> knownRecord;

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    /** The next offset not known to be written: every one below it is. */
    @StateId("safe")
    private final StateSpec<ValueState<Long>> safeSpec = StateSpecs.value(VarLongCoder.of());

    /** Written ranges at and beyond the first gap, waiting for it to be written. */
    @StateId("ahead")
    private final StateSpec<ValueState<List<Long>>> aheadSpec =
        StateSpecs.value(ListCoder.of(VarLongCoder.of()));

    CommitFn(Map<String, Object> consumerConfig) {
      this.consumerConfig = consumerConfig;
    }

    @Setup
    public void setup() {
      Map<String, Object> config = new HashMap<>(consumerConfig);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      // probes read one record past a gap: fetch as little as the broker allows
      config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
      config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024);
      consumer =
          new KafkaConsumer<>(
              KafkaSecrets.resolve(config),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer());
      counters = new StreamCounters();
      knownRecord = new HashMap<>();
    }

    @ProcessElement
    public void process(
        @Element KV<String, List<Long>> written,
        @StateId("safe") ValueState<Long> safeState,
        @StateId("ahead") ValueState<List<Long>> aheadState,
        OutputReceiver<KV<String, Long>> out) {
      TopicPartition tp = partition(written.getKey());
      Long safe = safeState.read();
      if (safe == null) {
        safe = startOffset(tp);
        if (safe == null) {
          LOG.warn("no start offset known for {}: offsets are not committed for it", tp);
          return;
        }
      }
      List<Long> ahead =
          merge(aheadState.read() == null ? List.of() : aheadState.read(), written.getValue());
      long before = safe;
      while (ahead.size() >= 2) {
        if (ahead.get(0) > safe) {
          // A gap: offsets before its first record hold none; from that record on, wait for
          // it to be written. A record once found is not probed for again.
          if (Long.valueOf(safe).equals(knownRecord.get(tp))) {
            break;
          }
          OptionalLong first = firstRecord(tp, safe, ahead.get(0));
          if (first.isEmpty()) {
            break; // Kafka did not answer: probe again with the next written range
          }
          if (first.getAsLong() < ahead.get(0)) {
            safe = first.getAsLong();
            knownRecord.put(tp, safe);
            break; // a record below the next written range is still on its way to the lake
          }
        }
        safe = Math.max(safe, ahead.get(1));
        ahead = new ArrayList<>(ahead.subList(2, ahead.size()));
      }
      safeState.write(safe);
      aheadState.write(ahead);
      if (safe > before) {
        try {
          consumer.commitSync(Map.of(tp, new OffsetAndMetadata(safe)), Duration.ofSeconds(30));
          out.output(KV.of(written.getKey(), safe));
        } catch (RuntimeException e) {
          // the next advance commits a later offset; until then a restart re-reads more
          counters.inc("offset_commit_failures", 1);
          LOG.warn("cannot commit offset {} of {}: {}", safe, tp, e.toString());
        }
      }
    }

    /**
     * The offset of the first record this consumer reads at or after {@code from}, or {@code to}
     * when there is none below it (the offsets are markers, aborted or compacted records); empty
     * when Kafka does not answer within a few seconds.
     */
    private OptionalLong firstRecord(TopicPartition tp, long from, long to) {
      try {
        consumer.assign(List.of(tp));
        consumer.seek(tp, from);
        long deadline = System.nanoTime() + PROBE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
          for (var r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
            return OptionalLong.of(Math.min(r.offset(), to));
          }
          if (consumer.position(tp, Duration.ofSeconds(5)) >= to) {
            return OptionalLong.of(to); // the fetch passed over the gap, no record
          }
        }
        return OptionalLong.empty();
      } catch (RuntimeException e) {
        LOG.warn("cannot probe offsets {}-{} of {}: {}", from, to - 1, tp, e.toString());
        return OptionalLong.empty();
      } finally {
        consumer.unsubscribe();
      }
    }

    /** Where this launch started reading the partition (see the class comment). */
    private Long startOffset(TopicPartition tp) {
      OffsetAndMetadata committed = consumer.committed(Set.of(tp), Duration.ofSeconds(30)).get(tp);
      if (committed != null) {
        return committed.offset();
      }
      if ("earliest"
          .equals(String.valueOf(consumerConfig.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)))) {
        return consumer.beginningOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
      }
      return null;
    }

    @Teardown
    public void teardown() {
      if (consumer != null) {
        try {
          consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
          // a runner may tear down from another thread (the DirectRunner on cancel): commits
          // are synchronous, so nothing is left to flush
        }
      }
    }
  }

  static TopicPartition partition(String key) {
    int bar = key.lastIndexOf('|');
    return new TopicPartition(key.substring(0, bar), Integer.parseInt(key.substring(bar + 1)));
  }
}
