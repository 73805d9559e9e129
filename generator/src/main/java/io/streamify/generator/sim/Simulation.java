package io.streamify.generator.sim;

import io.streamify.generator.catalog.SongCatalog;
import io.streamify.generator.config.SimConfig;
import io.streamify.generator.events.EventEncoder;
import io.streamify.generator.events.RecordBatch;
import io.streamify.generator.events.Topic;
import io.streamify.generator.model.PageModel;
import io.streamify.generator.model.Rng;
import io.streamify.generator.sink.EventSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the simulation: the user population is split into a fixed number of partitions, each
 * simulated on its own random stream; time advances in slices, the partitions of the next slice run
 * on a thread pool while the records of the current slice are merged into one time-ordered stream
 * and written. The partition count is fixed, so output is byte-identical for the same seed and
 * options whatever the number of threads.
 */
public final class Simulation {
  /** Fixed, never derived from the machine: it is part of what makes output reproducible. */
  public static final int PARTITIONS = 64;

  private static final long SALT_GROWTH = 202;

  /** Everything a partition needs; immutable and shared. */
  public record Setup(
      long seed,
      SimConfig config,
      PageModel model,
      SongCatalog catalog,
      Calendar calendar,
      EventEncoder encoder,
      long start,
      long end,
      long firstUserId,
      double attritionRate,
      long firstSessionId) {}

  /** How a run proceeds beyond the model itself. */
  public record Run(long users, double growthRate, int threads, double speed, Progress progress) {}

  /** Receives progress reports (on the writer thread). */
  public interface Progress {
    void report(long simulatedTime, long records, long activeUsers, boolean done);
  }

  private final Setup setup;
  private final Run run;
  private final long[] counts = new long[Topic.values().length];
  private long usersCreated;

  public Simulation(Setup setup, Run run) {
    this.setup = setup;
    this.run = run;
  }

  /** Records written per topic, by {@link Topic#ordinal()}. */
  public long[] counts() {
    return counts.clone();
  }

  /** Users who took part: the initial ones plus those who arrived by growth. */
  public long usersCreated() {
    return usersCreated;
  }

  public void run(EventSink sink) throws IOException, InterruptedException {
    long[] songMillis = new long[setup.catalog().size()];
    for (int i = 0; i < songMillis.length; i++) {
      songMillis[i] = Math.round(setup.catalog().song(i).duration() * 1000);
    }
    Partition[] parts = new Partition[PARTITIONS];
    for (int p = 0; p < PARTITIONS; p++) {
      parts[p] = new Partition(p, PARTITIONS, setup, songMillis);
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, run.threads()),
            r -> {
              Thread t = new Thread(r, "simulation");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> init = new ArrayList<>();
      for (Partition part : parts) {
        init.add(pool.submit(() -> part.addInitialUsers(run.users())));
      }
      await(init);
      usersCreated = run.users();

      Growth growth = new Growth();
      Pacer pacer = new Pacer(setup.start(), run.speed());
      // Paced runs simulate a quarter second of wall-clock time ahead; the others 5 minutes.
      long sliceMs =
          run.speed() > 0 ? Math.max(250, Math.min(300_000, (long) (run.speed() * 250))) : 300_000;
      long from = setup.start() - Partition.WARM_UP;
      long until = Math.min(setup.end(), from + sliceMs);
      int slot = 0;
      growth.addArrivals(parts, until);
      List<Future<?>> current = submit(pool, parts, until, slot);
      long records = 0;
      while (true) {
        await(current);
        boolean last = until >= setup.end() || activeUsers(parts) == 0 && !growth.active();
        long sliceEnd = until;
        List<Future<?>> next = null;
        if (!last) {
          until = Math.min(setup.end(), sliceEnd + sliceMs);
          growth.addArrivals(parts, until);
          next = submit(pool, parts, until, 1 - slot);
        }
        records += merge(parts, slot, sink, pacer);
        if (run.progress() != null) {
          run.progress().report(sliceEnd, records, activeUsers(parts), false);
        }
        if (last) {
          break;
        }
        current = next;
        slot = 1 - slot;
      }
      sink.flush();
      if (run.progress() != null) {
        run.progress().report(until, records, activeUsers(parts), true);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static long activeUsers(Partition[] parts) {
    long n = 0;
    for (Partition p : parts) {
      n += p.activeUsers();
    }
    return n;
  }

  private static List<Future<?>> submit(
      ExecutorService pool, Partition[] parts, long until, int slot) {
    List<Future<?>> fs = new ArrayList<>(parts.length);
    for (Partition part : parts) {
      fs.add(pool.submit(() -> part.simulate(until, part.batches[slot])));
    }
    return fs;
  }

  private static void await(List<Future<?>> futures) throws InterruptedException {
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException re) {
          throw re;
        }
        if (c instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(c);
      }
    }
  }

  /** K-way merge of the partitions' time-ordered batches by (ts, partition). */
  private long merge(Partition[] parts, int slot, EventSink sink, Pacer pacer)
      throws IOException, InterruptedException {
    int k = parts.length;
    RecordBatch[] batches = new RecordBatch[k];
    int[] pos = new int[k];
    int[] heap = new int[k];
    int n = 0;
    long total = 0;
    for (int p = 0; p < k; p++) {
      batches[p] = parts[p].batches[slot];
      total += batches[p].size();
      if (batches[p].size() > 0) {
        heap[n++] = p;
      }
    }
    for (int i = n / 2 - 1; i >= 0; i--) {
      siftDown(heap, n, i, batches, pos);
    }
    while (n > 0) {
      int p = heap[0];
      RecordBatch b = batches[p];
      int i = pos[p]++;
      long ts = b.ts(i);
      pacer.awaitSimulatedTime(ts, sink);
      Topic topic = b.topic(i);
      counts[topic.ordinal()]++;
      sink.write(topic, b.key(i), ts, b.arena.array(), b.offset(i), b.length(i));
      if (pos[p] == b.size()) {
        heap[0] = heap[--n];
      }
      if (n > 0) {
        siftDown(heap, n, 0, batches, pos);
      }
    }
    return total;
  }

  private static void siftDown(int[] heap, int n, int i, RecordBatch[] b, int[] pos) {
    int x = heap[i];
    while (true) {
      int c = 2 * i + 1;
      if (c >= n) {
        break;
      }
      if (c + 1 < n && before(heap[c + 1], heap[c], b, pos)) {
        c++;
      }
      if (!before(heap[c], x, b, pos)) {
        break;
      }
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = x;
  }

  private static boolean before(int p, int q, RecordBatch[] b, int[] pos) {
    long tp = b[p].ts(pos[p]);
    long tq = b[q].ts(pos[q]);
    return tp < tq || (tp == tq && p < q);
  }

  /**
   * New users arrive as a Poisson process whose rate grows with the population (eventsim's growth:
   * rate = users × growth-rate per year), from a random stream of its own.
   */
  private final class Growth {
    private final SplittableRandom rng =
        new SplittableRandom(Rng.hash(setup.seed(), 0, SALT_GROWTH));
    private long population = run.users();
    private long nextArrival = Long.MIN_VALUE;

    boolean active() {
      return run.growthRate() > 0 && population > 0 && nextArrival < setup.end();
    }

    void addArrivals(Partition[] parts, long until) {
      if (run.growthRate() <= 0 || population <= 0) {
        return;
      }
      if (nextArrival == Long.MIN_VALUE) {
        nextArrival = setup.start() + gap();
      }
      while (nextArrival < until && nextArrival < setup.end()) {
        long globalIndex = population;
        parts[(int) (globalIndex % PARTITIONS)].addNewUser(
            setup.firstUserId() + globalIndex, nextArrival);
        population++;
        usersCreated++;
        nextArrival += gap();
      }
    }

    private long gap() {
      double meanSeconds = Calendar.YEAR_SECONDS / (population * run.growthRate());
      return Math.max(1, (long) (Rng.exponential(meanSeconds, rng.nextDouble()) * 1000));
    }
  }
}
