package io.jobsched.scheduler;

import java.time.Duration;

/**
 * How far ahead of their instant fires are promoted into runs: {@code base} normally, more when many fires
 * are coming, so that a spike (thousands of jobs due at one minute boundary) is promoted, claimed and held
 * before its instant rather than after it. The extra lead is the time promoting the coming fires takes at
 * {@code runsPerSecond}, at most {@code max}. Pure: the scheduler feeds it the count of jobs due within
 * {@code max} (capped) about once a second.
 */
public final class LookAhead {
  private static final Duration LONG_LEAD = Duration.ofSeconds(4);

  private final Duration base;
  private final Duration max;
  private final int runsPerSecond;
  private volatile Duration current;

  public LookAhead(Duration base, Duration max, int runsPerSecond) {
    this.base = base;
    this.max = max.compareTo(base) < 0 ? base : max;
    this.runsPerSecond = runsPerSecond;
    this.current = base;
  }

  public Duration current() {
    return current;
  }

  /**
   * How long until the next count: a second normally, five once the lead is long (counting a 200,000-job
   * spike's coming jobs every second cost Postgres 8,000 buffers a count, more than promoting them).
   */
  public Duration checkDelay() {
    return current.minus(base).compareTo(LONG_LEAD) > 0 ? Duration.ofSeconds(5) : Duration.ofSeconds(1);
  }

  /** How far to count coming jobs. */
  public Duration horizon() {
    return max;
  }

  /** Counting more than this many coming jobs changes nothing: the look-ahead is at its maximum. */
  public int countCap() {
    return (int) Math.min(Integer.MAX_VALUE, max.toMillis() * runsPerSecond / 1000 + 1);
  }

  /** {@code coming}: jobs due within {@link #horizon()}. */
  public Duration update(long coming) {
    Duration lead = Duration.ofMillis(coming * 1000 / Math.max(1, runsPerSecond));
    Duration next = base.plus(lead);
    current = next.compareTo(max) > 0 ? max : next;
    return current;
  }
}
