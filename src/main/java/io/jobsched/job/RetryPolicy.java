package io.jobsched.job;

import java.time.Duration;

/** Exponential backoff between attempts, capped, with proportional jitter. */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay, double jitter) {
  /**
   * Delay before attempt {@code nextAttempt} (2 = the first retry): initialDelay × multiplier^(n-2), capped at
   * maxDelay, scaled by 1 + jitter × (2 × random − 1). {@code random} in [0, 1) is passed in so tests choose it.
   */
  public Duration delayBefore(int nextAttempt, double random) {
    double base = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, nextAttempt - 2));
    double capped = Math.min(base, maxDelay.toMillis());
    double jittered = capped * (1 + jitter * (2 * random - 1));
    return Duration.ofMillis(Math.max(0, Math.round(jittered)));
  }

  public boolean hasAttemptAfter(int attempt) {
    return attempt < maxAttempts;
  }
}
