package io.jobsched.metrics;

import java.util.List;

/**
 * The start-lateness buckets the overview counts in: upper bounds in ms, plus one bucket over the last.
 * Percentiles read from them are bucket upper bounds (the overflow bucket reports the largest bound).
 */
public final class LatenessBuckets {
  public static final List<Long> BOUNDS_MS = List.of(10L, 50L, 100L, 250L, 500L, 1000L, 5000L);
  public static final int COUNT = BOUNDS_MS.size() + 1;

  private LatenessBuckets() {
  }

  public static int indexOf(long latenessMs) {
    for (int i = 0; i < BOUNDS_MS.size(); i++) {
      if (latenessMs <= BOUNDS_MS.get(i)) {
        return i;
      }
    }
    return BOUNDS_MS.size();
  }

  /** The upper bound of the bucket holding the {@code quantile} (0..1) of {@code counts}; null without counts. */
  public static Long percentile(long[] counts, double quantile) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return null;
    }
    long rank = (long) Math.ceil(quantile * total);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= Math.max(1, rank)) {
        return BOUNDS_MS.get(Math.min(i, BOUNDS_MS.size() - 1));
      }
    }
    return BOUNDS_MS.get(BOUNDS_MS.size() - 1);
  }
}
