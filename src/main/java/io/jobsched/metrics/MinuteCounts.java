package io.jobsched.metrics;

import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of this node not yet written to Redis, per minute and field ({@code started}, {@code finished:<STATUS>},
 * {@code late:<bucket>}). Counted from any thread; {@link #drain} hands them over and {@link #restore} puts
 * back what could not be written.
 */
public final class MinuteCounts {
  public static final String STARTED = "started";
  public static final String FINISHED = "finished:";
  public static final String LATE = "late:";

  private final InstantSource clock;
  private final ConcurrentHashMap<Long, ConcurrentHashMap<String, LongAdder>> minutes = new ConcurrentHashMap<>();

  public MinuteCounts(InstantSource clock) {
    this.clock = clock;
  }

  public void started(long latenessMs) {
    ConcurrentHashMap<String, LongAdder> now = current();
    now.computeIfAbsent(STARTED, k -> new LongAdder()).increment();
    now.computeIfAbsent(LATE + LatenessBuckets.indexOf(latenessMs), k -> new LongAdder()).increment();
  }

  public void finished(String status) {
    current().computeIfAbsent(FINISHED + status, k -> new LongAdder()).increment();
  }

  private ConcurrentHashMap<String, LongAdder> current() {
    return minutes.computeIfAbsent(epochMinute(), m -> new ConcurrentHashMap<>());
  }

  private long epochMinute() {
    return clock.millis() / 60_000;
  }

  /**
   * Takes every non-zero count; minutes before the current one are forgotten once drained (nothing counts
   * into them any more).
   */
  public Map<Long, Map<String, Long>> drain() {
    long now = epochMinute();
    Map<Long, Map<String, Long>> out = new HashMap<>();
    minutes.forEach((minute, fields) -> {
      Map<String, Long> taken = new HashMap<>();
      fields.forEach((field, adder) -> {
        long n = adder.sumThenReset();
        if (n != 0) {
          taken.put(field, n);
        }
      });
      if (!taken.isEmpty()) {
        out.put(minute, taken);
      }
      if (minute < now - 1) {
        minutes.remove(minute);
      }
    });
    return out;
  }

  /** Puts back counts a failed write took. */
  public void restore(Map<Long, Map<String, Long>> counts) {
    counts.forEach((minute, fields) -> fields.forEach((field, n) -> minutes
        .computeIfAbsent(minute, m -> new ConcurrentHashMap<>())
        .computeIfAbsent(field, f -> new LongAdder()).add(n)));
  }
}
