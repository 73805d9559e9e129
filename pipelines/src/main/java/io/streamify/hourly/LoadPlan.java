package io.streamify.hourly;

import io.streamify.lake.ClosedMarks;
import io.streamify.lake.Hours;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The hours one hourly run loads (epoch ms of their starts, oldest first) and, for each, the
 * version of its closed mark when the run was planned ("" when it has none: an hour with no data,
 * closed by the closed-through mark, or a plan made without reading the lake). The version goes
 * into the hour's load manifest: a later mark version means the lake changed after the load.
 */
public record LoadPlan(
    List<Long> hours, Map<Long, String> versions, Optional<Long> lastClosed, int backlog) {
  private static final long HOUR = Hours.MILLIS;

  public LoadPlan {
    hours = List.copyOf(hours);
    versions = Map.copyOf(versions);
  }

  /** A plan of these hours, nothing left over. */
  public LoadPlan(List<Long> hours, Map<Long, String> versions, Optional<Long> lastClosed) {
    this(hours, versions, lastClosed, hours.size());
  }

  /**
   * The catch-up backlog as a log line Cloud Monitoring reads (a log-based metric in
   * terraform/monitoring.tf): closed hours waiting for a load, and how many minutes ago the oldest
   * hour not in the warehouse ended: the oldest waiting closed hour, or the first hour the stream
   * job has not closed yet, whichever ended earlier (so a stalled stream job shows too; 0 when
   * nothing waits and the lake has no closed hour).
   */
  public String backlogLine(Instant now) {
    long oldestEnd = Long.MAX_VALUE;
    if (!hours.isEmpty()) {
      oldestEnd = hours.get(0) + HOUR;
    }
    if (lastClosed.isPresent()) {
      oldestEnd = Math.min(oldestEnd, lastClosed.get() + 2 * HOUR); // the first unclosed hour
    }
    long minutes =
        oldestEnd == Long.MAX_VALUE ? 0 : Math.max(0, (now.toEpochMilli() - oldestEnd) / 60_000);
    return "streamify hourly: backlog: hours_pending="
        + backlog
        + " oldest_pending_minutes="
        + minutes;
  }

  /** The given hours, versions unknown (no lake access). */
  public static LoadPlan of(List<Long> hours) {
    return new LoadPlan(hours, Map.of(), Optional.empty());
  }

  /** The given hours with their current mark versions, read from the lake. */
  public static LoadPlan forHours(String lake, List<Long> hours) throws IOException {
    if (hours.isEmpty()) {
      return of(hours);
    }
    TreeMap<Long, String> marks =
        ClosedMarks.hourMarks(lake, hours.get(0), hours.get(hours.size() - 1));
    return new LoadPlan(hours, marks, Optional.empty());
  }

  /**
   * Which hours a catch-up considers: those from {@code from} to {@code to} (epoch ms of hour
   * starts, both included) and older ones whose mark was rewritten since {@code from}; hours with
   * no mark count as empty hours from {@code emptyFrom}, or, when that is empty, from the first
   * hour of the window that has a mark or a load. With a {@code launch}, the lake's closed-through
   * mark counts only if that launch of the stream job wrote it.
   */
  public record Window(long from, long to, OptionalLong emptyFrom, Optional<String> launch) {
    /** The last {@code hours} hours before {@code now}, open-ended. */
    public static Window lastHours(Instant now, int hours) {
      return new Window(
          now.truncatedTo(ChronoUnit.HOURS).toEpochMilli() - hours * HOUR,
          Long.MAX_VALUE,
          OptionalLong.empty(),
          Optional.empty());
    }
  }

  /**
   * Catching up: every hour of the window that the lake says is closed and whose latest load
   * manifest is missing or names another mark version (the hour got files after its load: arrival
   * files, a restarted job's re-read records), and every older hour whose mark was rewritten within
   * the window; oldest first, at most {@code maxHours}. An hour without a mark up to the last
   * closed hour is loaded when {@link ClosedMarks#closedWithoutMark} says it is closed: an empty
   * hour (loaded once, as empty; see {@link Window}), or one whose files a stream job wrote and
   * could not mark before it stopped.
   */
  public static LoadPlan catchUp(String lake, LoadManifests loaded, Window window, int maxHours)
      throws Exception {
    TreeMap<Long, ClosedMarks.Listed> listed = ClosedMarks.listMarks(lake);
    TreeMap<Long, String> marks = new TreeMap<>();
    for (ClosedMarks.Listed m : listed.values()) {
      boolean inWindow = m.hour() >= window.from() && m.hour() <= window.to();
      if (inWindow || (m.hour() < window.from() && m.lastModified() >= window.from())) {
        marks.put(m.hour(), ClosedMarks.version(lake, m));
      }
    }
    // closed through: the lake's closed-through mark or its latest hour mark, whichever is later
    Optional<ClosedMarks.Through> closedThrough =
        ClosedMarks.closedThrough(
            lake,
            Optional.ofNullable(listed.isEmpty() ? null : listed.lastEntry().getValue()),
            window.launch());
    if (closedThrough.isEmpty()) {
      return new LoadPlan(List.of(), Map.of(), Optional.empty());
    }
    long last = Math.min(closedThrough.get().hour(), window.to());
    long from = marks.isEmpty() ? window.from() : Math.min(window.from(), marks.firstKey());
    Map<Long, String> done = loaded.latestVersions(from);
    TreeSet<Long> pending = new TreeSet<>();
    marks.forEach(
        (hour, version) -> {
          if (hour <= last && !version.equals(done.get(hour))) {
            pending.add(hour);
          }
        });
    Long first = window.emptyFrom().isPresent() ? (Long) window.emptyFrom().getAsLong() : null;
    if (first == null) {
      // the first hour of the window the stream job wrote (noted open, or marked closed)
      TreeSet<Long> written = ClosedMarks.openHours(lake);
      written.addAll(marks.keySet());
      Long firstWritten = written.ceiling(window.from());
      first = firstWritten == null || firstWritten > window.to() ? null : firstWritten;
      for (long h : done.keySet()) {
        if (h >= window.from() && (first == null || h < first)) {
          first = h;
        }
      }
    }
    if (first != null) {
      // (at most maxHours of them: later ones cannot make this run, whatever the lake claims)
      int empty = 0;
      for (long h = first; h <= last && empty < maxHours; h += HOUR) {
        if (!marks.containsKey(h)
            && !done.containsKey(h)
            && ClosedMarks.closedWithoutMark(
                closedThrough, h, ClosedMarks.newestEventFile(lake, h))) {
          pending.add(h);
          empty++;
        }
      }
    }
    List<Long> hours = new ArrayList<>(pending).subList(0, Math.min(maxHours, pending.size()));
    Map<Long, String> versions = new TreeMap<>();
    for (long h : hours) {
      versions.put(h, marks.getOrDefault(h, ""));
    }
    return new LoadPlan(hours, versions, Optional.of(last), pending.size());
  }

  /** The plan, or when it is empty the last closed hour (to reload: a run must load something). */
  public LoadPlan orLastClosed() {
    if (!hours.isEmpty() || lastClosed.isEmpty()) {
      return this;
    }
    return new LoadPlan(List.of(lastClosed.get()), versions, lastClosed, 0);
  }

  /** The plan without the given hours. */
  public LoadPlan without(Collection<Long> dropped) {
    List<Long> kept = new ArrayList<>(hours);
    kept.removeAll(dropped);
    return new LoadPlan(List.copyOf(kept), versions, lastClosed, backlog);
  }

  /**
   * The hours whose rows BigQuery would drop as they load: a partitioned table's partition older
   * than its partition expiration expires at once, also when data is loaded into it (BigQuery,
   * "Managing partitioned tables", partition expiration). The hourly tables are partitioned by day;
   * counting a partition's age from the start of its day (the earliest BigQuery could) and leaving
   * an hour for the run itself, an hour is refused once its day started at least the expiration
   * before now plus an hour.
   *
   * @param expirationMs the tables' partition expiration, empty for none (DuckDB, or never)
   * @return the refused hours (epoch ms of their starts), oldest first
   */
  public static List<Long> expired(List<Long> hours, OptionalLong expirationMs, Instant now) {
    if (expirationMs.isEmpty()) {
      return List.of();
    }
    long first = firstUnexpiredHour(expirationMs.getAsLong(), now);
    return hours.stream().filter(h -> h < first).sorted().toList();
  }

  /**
   * The first hour {@link #expired} lets through: the start of the day after the cutoff's (now plus
   * an hour, less the expiration); every hour of a day that began at or before the cutoff is
   * expired.
   */
  public static long firstUnexpiredHour(long expirationMs, Instant now) {
    long cutoff = now.toEpochMilli() + Hours.MILLIS - expirationMs;
    return cutoff - Math.floorMod(cutoff, 86_400_000L) + 86_400_000L;
  }

  /** The mark version of an hour in this plan ("" if none). */
  public String version(long hour) {
    return versions.getOrDefault(hour, "");
  }

  /** "2026-11-23T13", "2026-11-23T13 to 2026-11-23T15" or "3 hours from … to …". */
  public String describe() {
    if (hours.isEmpty()) {
      return "no hour";
    }
    String first = Hours.format(Instant.ofEpochMilli(hours.get(0)));
    String last = Hours.format(Instant.ofEpochMilli(hours.get(hours.size() - 1)));
    if (hours.size() == 1) {
      return first;
    }
    boolean contiguous = hours.get(hours.size() - 1) - hours.get(0) == (hours.size() - 1) * HOUR;
    return contiguous
        ? first + " to " + last
        : hours.size() + " hours from " + first + " to " + last;
  }
}
