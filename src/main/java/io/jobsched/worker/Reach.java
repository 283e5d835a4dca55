package io.jobsched.worker;

/**
 * How far ahead of their instant this worker claims runs. Normally {@code preclaim_ms}. When the local
 * scheduler promotes further ahead because a spike is coming (its adaptive look-ahead, announced with each
 * promotion), the worker reaches as far, so the spike's runs are claimed and read over the same lead as
 * they were promoted instead of in the last {@code preclaim_ms}: a 200,000-run spike is then held before its
 * instant, not read after it. An announcement counts for {@link #ANNOUNCEMENT_VALID_NANOS}; without new ones
 * the reach falls back. Only capacity bounds what is held (a kind's capacity included: 8 shell runs at most).
 * Pure; times are {@code System.nanoTime()} readings passed in.
 */
final class Reach {
  static final long ANNOUNCEMENT_VALID_NANOS = 10_000_000_000L;

  private final long preclaimMs;
  private long announcedMs;
  private long announcedAtNanos;

  Reach(long preclaimMs) {
    this.preclaimMs = preclaimMs;
  }

  /** The scheduler promotes {@code lookAheadMs} ahead, as of {@code nowNanos}. */
  void announced(long lookAheadMs, long nowNanos) {
    announcedMs = lookAheadMs;
    announcedAtNanos = nowNanos;
  }

  /** Claim runs due within this many ms. */
  long ms(long nowNanos) {
    // before any announcement announcedMs is 0, which the max leaves at preclaimMs
    return nowNanos - announcedAtNanos < ANNOUNCEMENT_VALID_NANOS ? Math.max(preclaimMs, announcedMs) : preclaimMs;
  }
}
