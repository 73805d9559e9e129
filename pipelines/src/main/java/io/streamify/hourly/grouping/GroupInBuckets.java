package io.streamify.hourly.grouping;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * A GroupByKey for the many small keys of an hour (events, users, places) on the DirectRunner (see
 * {@link Grouping}), batch (global window) only. Each bundle writes its elements, encoded, to one
 * spill file per bucket (8 buckets by key hash) in the JVM's temporary directory; only the files'
 * names cross a real GroupByKey, per bucket; each bucket's files are then read back, grouped per
 * key in memory and deleted. With a combining function, each bundle combines its values per key
 * before it writes them (as a runner lifts a combiner).
 *
 * <p>Why not the DirectRunner's own GroupByKey: it gives every key its own output bundle and
 * rebuilds the downstream DoFn for each, which on hundreds of thousands of keys costs minutes; and
 * it keeps a key's grouped values as state that it copies through the coder whenever another bundle
 * adds to it, so grouping every row into a few keys costs bundles × rows copies (22% of a busy
 * hour's profile). Here every element is encoded, written and read once. Keys are compared by their
 * encoding, as GroupByKey compares them, so the key coder must be deterministic (checked). Each
 * grouping spills to a folder of its own, removed once its last bucket is read; a failed run's
 * folders are removed when the JVM exits.
 */
final class GroupInBuckets<K, V>
    extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, Iterable<V>>>> {
  static final int BUCKETS = 8;

  private final Combine.BinaryCombineFn<V> combine;
  private final String spillFolder;

  private GroupInBuckets(Combine.BinaryCombineFn<V> combine) {
    this.combine = combine;
    this.spillFolder =
        Path.of(System.getProperty("java.io.tmpdir"), "streamify-grouping-" + UUID.randomUUID())
            .toString();
  }

  /** The folder this grouping spills to; gone once the grouping's output is complete. */
  Path spillFolder() {
    return Path.of(spillFolder);
  }

  static <K, V> GroupInBuckets<K, V> create() {
    return new GroupInBuckets<>(null);
  }

  /** Combine.perKey with a binary function, on buckets: combined per bundle, then per key. */
  static <K, V> PTransform<PCollection<KV<K, V>>, PCollection<KV<K, V>>> combining(
      Combine.BinaryCombineFn<V> fn) {
    return new PTransform<>() {
      @Override
      public PCollection<KV<K, V>> expand(PCollection<KV<K, V>> input) {
        return input
            .apply("Group", new GroupInBuckets<K, V>(fn))
            .apply("Combine", ParDo.of(new CombineFn<K, V>(fn)))
            .setCoder(input.getCoder());
      }
    };
  }

  /** A key's values → the binary function applied across them. */
  static final class CombineFn<K, V> extends DoFn<KV<K, Iterable<V>>, KV<K, V>> {
    private final Combine.BinaryCombineFn<V> fn;

    CombineFn(Combine.BinaryCombineFn<V> fn) {
      this.fn = fn;
    }

    @ProcessElement
    public void process(@Element KV<K, Iterable<V>> group, OutputReceiver<KV<K, V>> out) {
      V result = null;
      boolean first = true;
      for (V v : group.getValue()) {
        result = first ? v : fn.apply(result, v);
        first = false;
      }
      out.output(KV.of(group.getKey(), result));
    }
  }

  @Override
  public PCollection<KV<K, Iterable<V>>> expand(PCollection<KV<K, V>> input) {
    KvCoder<K, V> coder = (KvCoder<K, V>) input.getCoder();
    Coder<K> keyCoder = coder.getKeyCoder();
    Coder<V> valueCoder = coder.getValueCoder();
    try {
      keyCoder.verifyDeterministic();
    } catch (Coder.NonDeterministicException e) {
      throw new IllegalStateException("a grouping's keys need a deterministic coder: " + e, e);
    }
    return input
        .apply("Spill", ParDo.of(new SpillFn<>(coder, combine, spillFolder)))
        .setCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of()))
        .apply("PerBucket", GroupByKey.create())
        .apply("PerKey", ParDo.of(new PerKeyFn<>(coder, spillFolder)))
        .setCoder(KvCoder.of(keyCoder, IterableCoder.of(valueCoder)));
  }

  /**
   * A bundle's elements → its spill files, one per bucket it has elements of: (bucket, file path),
   * output when the bundle ends. Keys are compared as Beam's GroupByKey compares them, by their
   * encoding: the bucket is a hash of the encoded key. Each element is written as the encoded key's
   * length (int) and bytes, then the encoded value's.
   */
  static final class SpillFn<K, V> extends DoFn<KV<K, V>, KV<Integer, String>> {
    private final KvCoder<K, V> coder;
    private final Combine.BinaryCombineFn<V> combine;
    private final String folder;
    private transient Map<ByteBuffer, Combined<V>> combined;
    private transient Path[] files;
    private transient DataOutputStream[] streams;

    SpillFn(KvCoder<K, V> coder, Combine.BinaryCombineFn<V> combine, String folder) {
      this.coder = coder;
      this.combine = combine;
      this.folder = folder;
    }

    @StartBundle
    public void start() {
      combined = combine == null ? null : new HashMap<>();
      files = new Path[BUCKETS];
      streams = new DataOutputStream[BUCKETS];
    }

    @ProcessElement
    public void process(@Element KV<K, V> kv) throws IOException {
      byte[] key = CoderUtils.encodeToByteArray(coder.getKeyCoder(), kv.getKey());
      if (combined != null) {
        Combined<V> c = combined.get(ByteBuffer.wrap(key));
        if (c == null) {
          combined.put(ByteBuffer.wrap(key), new Combined<>(kv.getValue()));
        } else {
          c.value = combine.apply(c.value, kv.getValue());
        }
      } else {
        write(key, kv.getValue());
      }
    }

    private void write(byte[] key, V value) throws IOException {
      int bucket = Math.floorMod(Arrays.hashCode(key), BUCKETS);
      if (streams[bucket] == null) {
        files[bucket] = SpillFolder.newFile(Path.of(folder));
        streams[bucket] =
            new DataOutputStream(
                new BufferedOutputStream(Files.newOutputStream(files[bucket]), 1 << 16));
      }
      byte[] bytes = CoderUtils.encodeToByteArray(coder.getValueCoder(), value);
      DataOutputStream out = streams[bucket];
      out.writeInt(key.length);
      out.write(key);
      out.writeInt(bytes.length);
      out.write(bytes);
    }

    @FinishBundle
    public void finish(FinishBundleContext c) throws IOException {
      if (combined != null) {
        for (Map.Entry<ByteBuffer, Combined<V>> e : combined.entrySet()) {
          write(e.getKey().array(), e.getValue().value);
        }
        combined = null;
      }
      for (int b = 0; b < BUCKETS; b++) {
        if (streams[b] != null) {
          streams[b].close();
          streams[b] = null;
          c.output(
              KV.of(b, files[b].toString()),
              GlobalWindow.INSTANCE.maxTimestamp(),
              GlobalWindow.INSTANCE);
        }
      }
    }

    @Teardown
    public void teardown() throws IOException {
      if (streams == null) {
        return;
      }
      for (int b = 0; b < BUCKETS; b++) {
        if (streams[b] != null) {
          streams[b].close();
          Files.deleteIfExists(files[b]);
        }
      }
    }
  }

  /** A key's value combined so far within a bundle (null is a value). */
  static final class Combined<V> {
    V value;

    Combined(V value) {
      this.value = value;
    }
  }

  /** A key's group while a bucket is read: the key, decoded once, and its values. */
  private record Group<K, V>(K key, List<V> values) {}

  /**
   * A bucket's spill files → one group per key (keys equal when their encodings are), in the order
   * the keys came; the files deleted.
   */
  static final class PerKeyFn<K, V>
      extends DoFn<KV<Integer, Iterable<String>>, KV<K, Iterable<V>>> {
    private final KvCoder<K, V> coder;
    private final String folder;
    private transient List<Path> read;

    PerKeyFn(KvCoder<K, V> coder, String folder) {
      this.coder = coder;
      this.folder = folder;
    }

    @StartBundle
    public void start() {
      read = new ArrayList<>();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<String>> bucket, OutputReceiver<KV<K, Iterable<V>>> out)
        throws IOException {
      Map<ByteBuffer, Group<K, V>> groups = new LinkedHashMap<>();
      for (String name : bucket.getValue()) {
        Path file = Path.of(name);
        try (DataInputStream in =
            new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
          while (true) {
            int length;
            try {
              length = in.readInt();
            } catch (EOFException end) {
              break;
            }
            byte[] key = new byte[length];
            in.readFully(key);
            byte[] value = new byte[in.readInt()];
            in.readFully(value);
            Group<K, V> g = groups.get(ByteBuffer.wrap(key));
            if (g == null) {
              g =
                  new Group<>(
                      CoderUtils.decodeFromByteArray(coder.getKeyCoder(), key), new ArrayList<>());
              groups.put(ByteBuffer.wrap(key), g);
            }
            g.values().add(CoderUtils.decodeFromByteArray(coder.getValueCoder(), value));
          }
        }
        read.add(file);
      }
      for (Group<K, V> g : groups.values()) {
        out.output(KV.of(g.key(), g.values()));
      }
    }

    @FinishBundle
    public void finish() throws IOException {
      for (Path file : read) {
        Files.deleteIfExists(file);
      }
      read.clear();
      // Every bundle has spilled before any bucket is read: the last bucket's bundle empties it.
      try {
        Files.deleteIfExists(Path.of(folder));
        SpillFolder.removed(Path.of(folder));
      } catch (DirectoryNotEmptyException others) {
        // other buckets' files are still to be read
      }
    }
  }

  /** Spill folders: made on first use; those a failed run leaves are removed when the JVM exits. */
  static final class SpillFolder {
    private static final Set<Path> MADE = new HashSet<>();
    private static boolean hooked;

    private SpillFolder() {}

    /** A new file's path in {@code folder}, which is made if missing. */
    static Path newFile(Path folder) throws IOException {
      synchronized (MADE) {
        if (!hooked) {
          Runtime.getRuntime().addShutdownHook(new Thread(SpillFolder::deleteAll));
          hooked = true;
        }
        if (MADE.add(folder) || !Files.isDirectory(folder)) {
          Files.createDirectories(folder);
        }
      }
      return folder.resolve(UUID.randomUUID() + ".spill");
    }

    /** A folder deleted once its grouping's output was complete: no longer to clean at exit. */
    static void removed(Path folder) {
      synchronized (MADE) {
        MADE.remove(folder);
      }
    }

    private static void deleteAll() {
      synchronized (MADE) {
        for (Path dir : MADE) {
          try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          } catch (IOException | UncheckedIOException e) {
            // gone already, or the JVM is exiting: what is left is in the temporary directory
          }
        }
      }
    }
  }
}
