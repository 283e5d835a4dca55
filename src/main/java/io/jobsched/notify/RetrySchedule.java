package io.jobsched.notify;

/**
 * When a failed delivery is tried again: after {@code baseMs} doubled per failed attempt, capped at
 * {@code maxMs}, then jittered down by up to half ("equal jitter") so a receiver that came back is not hit
 * by every dispatcher's retries at one instant; never after {@code maxAttempts} attempts. Pure.
 */
public record RetrySchedule(int maxAttempts, long baseMs, long maxMs) {
  /**
   * The delay before the next attempt after attempt {@code attempt} (1-based) failed, or null when that was
   * the last one. {@code random} in [0, 1) feeds the jitter.
   */
  public Long delayAfter(int attempt, double random) {
    if (attempt >= maxAttempts) {
      return null;
    }
    // doubling by shifting, bounded before it can overflow
    long exp = attempt - 1 >= 40 ? maxMs : Math.min(maxMs, baseMs << Math.max(0, attempt - 1));
    long half = exp / 2;
    return exp - half + (long) (half * random);
  }
}
