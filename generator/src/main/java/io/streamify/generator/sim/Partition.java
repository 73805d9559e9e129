package io.streamify.generator.sim;

import io.streamify.generator.catalog.SongCatalog;
import io.streamify.generator.events.EventEncoder;
import io.streamify.generator.events.RecordBatch;
import io.streamify.generator.model.PageModel;
import io.streamify.generator.model.Rng;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One independent shard of the user population (users whose global index ≡ p mod P), simulated in
 * time order with its own random stream. State is kept column-wise in primitive arrays (about 70
 * bytes a user) and users wait in an indexed min-heap keyed by their next event time.
 */
final class Partition {
  private static final long SALT_USER = 101;

  /** Sessions that began this long before the start may still be running: simulate them. */
  static final long WARM_UP = 3 * 3_600_000L;

  private final int index;
  private final int partitions;
  private final Simulation.Setup setup;
  private final PageModel model;
  private final SongCatalog catalog;
  private final Calendar calendar;
  private final EventEncoder encoder;
  private final SplittableRandom rng;
  private final long[] songMillis;

  private int size;
  private long[] userId = new long[0];
  private long[] nextTs = new long[0];
  private long[] sessionId = new long[0];
  private long[] songEnd = new long[0];
  private long[] churnAt = new long[0];
  private long[] registration = new long[0];
  private int[] state = new int[0];
  private int[] previous = new int[0];
  private int[] item = new int[0];
  private int[] song = new int[0];
  private float[] alpha = new float[0];
  private float[] beta = new float[0];

  private int[] heap = new int[0];
  private int heapSize;
  private long sessionsStarted;

  final RecordBatch[] batches = {new RecordBatch(), new RecordBatch()};

  Partition(int index, int partitions, Simulation.Setup setup, long[] songMillis) {
    this.index = index;
    this.partitions = partitions;
    this.setup = setup;
    this.model = setup.model();
    this.catalog = setup.catalog();
    this.calendar = setup.calendar();
    this.encoder = setup.encoder();
    this.songMillis = songMillis;
    this.rng = new SplittableRandom(Rng.hash(setup.seed(), index, 7));
  }

  int activeUsers() {
    return heapSize;
  }

  /** Adds the initial users with global index ≡ p (mod P) below {@code users}. */
  void addInitialUsers(long users) {
    long count = users <= index ? 0 : (users - 1 - index) / partitions + 1;
    grow((int) count);
    for (long g = index; g < users; g += partitions) {
      addUser(setup.firstUserId() + g, setup.start(), false);
    }
  }

  /** Adds a user who signs up at {@code arrival} (growth). */
  void addNewUser(long uid, long arrival) {
    if (size == userId.length) {
      grow(Math.max(16, size / 2));
    }
    addUser(uid, arrival, true);
  }

  private void grow(int extra) {
    int n = size + extra;
    userId = Arrays.copyOf(userId, n);
    nextTs = Arrays.copyOf(nextTs, n);
    sessionId = Arrays.copyOf(sessionId, n);
    songEnd = Arrays.copyOf(songEnd, n);
    churnAt = Arrays.copyOf(churnAt, n);
    registration = Arrays.copyOf(registration, n);
    state = Arrays.copyOf(state, n);
    previous = Arrays.copyOf(previous, n);
    item = Arrays.copyOf(item, n);
    song = Arrays.copyOf(song, n);
    alpha = Arrays.copyOf(alpha, n);
    beta = Arrays.copyOf(beta, n);
    heap = Arrays.copyOf(heap, n);
  }

  private void addUser(long uid, long at, boolean isNew) {
    // Everything about a user's start comes from its own stream, so it is the same whichever
    // slice or thread creates it.
    SplittableRandom r = new SplittableRandom(Rng.hash(setup.seed(), uid, SALT_USER));
    int u = size++;
    userId[u] = uid;
    alpha[u] = (float) (setup.config().alpha() * logNormal(r));
    beta[u] = (float) (setup.config().beta() * logNormal(r));
    String auth = isNew ? model.newUserAuth() : model.drawInitialAuth(r.nextDouble());
    String level = isNew ? model.newUserLevel() : model.drawInitialLevel(r.nextDouble());
    boolean guest = auth.equals("Guest");
    if (isNew) {
      registration[u] = guest ? 0 : at;
    } else {
      // Existing accounts signed up some time before the run, most within the last year or two.
      long ago = (long) Rng.exponential(365.0 * Calendar.DAY, r.nextDouble());
      registration[u] = guest ? 0 : at - Math.min(ago, 8 * 365 * Calendar.DAY);
    }
    double rate = setup.attritionRate();
    churnAt[u] =
        rate > 0
            ? at + (long) Rng.exponential(Calendar.YEAR_SECONDS * 1000 / rate, r.nextDouble())
            : Long.MAX_VALUE;
    long first;
    if (isNew) {
      first = at; // a new user's first session is their arrival, never before it
    } else {
      // Walk session starts from well before the run to reach the steady state (as eventsim
      // does), without simulating sessions that are over before the warm-up window.
      double b = beta[u];
      long t = calendar.nextSessionStart(at - (long) (2 * b * 1000), b, r);
      while (t < at - WARM_UP) {
        t = calendar.nextSessionStart(t, b, r);
      }
      first = t;
    }
    int s = model.sessionStart(auth, level, r.nextDouble());
    if (s < 0 || first >= setup.end()) {
      return; // the user never shows up in this run (e.g. starts churned)
    }
    startSession(u, s, first, r.nextDouble());
    push(u);
  }

  /** eventsim's per-user rate spread: a log-normal multiplier with mean 1. */
  private static double logNormal(SplittableRandom r) {
    return Math.exp(gaussian(r)) / Math.sqrt(Math.E);
  }

  private static double gaussian(SplittableRandom r) {
    double u1 = r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  private void startSession(int u, int first, long at, double songDraw) {
    sessionId[u] = setup.firstSessionId() + (sessionsStarted++) * partitions + index;
    state[u] = first;
    previous[u] = -1;
    item[u] = 0;
    nextTs[u] = at;
    if (model.isNextSong(first)) {
      song[u] = catalog.draw(songDraw);
      songEnd[u] = at + songMillis[song[u]];
    } else {
      song[u] = -1;
      songEnd[u] = 0;
    }
  }

  /** Simulates every event before {@code until}, encoding those at or after the start. */
  void simulate(long until, RecordBatch out) {
    out.clear();
    long start = setup.start();
    long end = setup.end();
    while (heapSize > 0) {
      int u = heap[0];
      long ts = nextTs[u];
      if (ts >= until) {
        break;
      }
      int s = state[u];
      if (ts >= start) {
        if (registration[u] == 0 && model.showsUser(s)) {
          registration[u] = ts; // a guest's account exists from the page that registered it
        }
        encoder.encode(
            out, ts, s, previous[u], item[u], sessionId[u], userId[u], registration[u], song[u]);
      }
      if (advance(u, ts, s) && nextTs[u] < end) {
        siftDown(0);
      } else {
        pop();
      }
    }
  }

  /** Moves user u past its event at ts; false when the user leaves for good. */
  private boolean advance(int u, long ts, int s) {
    int d = model.next(s, rng.nextDouble());
    if (d < 0) {
      if (model.isChurned(s) || churnAt[u] <= ts) {
        return false;
      }
      long next = calendar.nextSessionStart(ts, beta[u], rng);
      int first = model.sessionStartAfter(s, rng.nextDouble());
      if (first < 0) {
        return false;
      }
      startSession(u, first, next, rng.nextDouble());
      return true;
    }
    long nt;
    if (model.isRedirect(d)) {
      nt = ts + Calendar.SECOND; // a redirect's target loads at once
    } else if (model.isNextSong(d)) {
      if (song[u] >= 0 && ts < songEnd[u]) {
        nt = songEnd[u]; // the next song starts when this one ends
      } else {
        nt = ts + think(u);
      }
      song[u] = catalog.draw(rng.nextDouble());
      songEnd[u] = nt + songMillis[song[u]];
    } else {
      nt = ts + think(u);
    }
    previous[u] = s;
    state[u] = d;
    item[u]++;
    nextTs[u] = nt;
    return true;
  }

  private long think(int u) {
    return Math.max(1, (long) (-alpha[u] * 1000.0 * Math.log(1.0 - rng.nextDouble())));
  }

  // Indexed min-heap on (nextTs, user index): ties break by index so the order is deterministic.

  private boolean less(int a, int b) {
    long ta = nextTs[a];
    long tb = nextTs[b];
    return ta < tb || (ta == tb && a < b);
  }

  private void push(int u) {
    int i = heapSize++;
    heap[i] = u;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(heap[i], heap[parent])) {
        break;
      }
      int t = heap[i];
      heap[i] = heap[parent];
      heap[parent] = t;
      i = parent;
    }
  }

  private void pop() {
    heap[0] = heap[--heapSize];
    if (heapSize > 0) {
      siftDown(0);
    }
  }

  private void siftDown(int i) {
    int u = heap[i];
    int n = heapSize;
    while (true) {
      int c = 2 * i + 1;
      if (c >= n) {
        break;
      }
      if (c + 1 < n && less(heap[c + 1], heap[c])) {
        c++;
      }
      if (!less(heap[c], u)) {
        break;
      }
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = u;
  }
}
