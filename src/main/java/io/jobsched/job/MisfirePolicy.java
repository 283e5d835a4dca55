package io.jobsched.job;

import java.time.Duration;

/** Fires missed while the cluster was down or the job paused: one run now, all within window, or none. */
public record MisfirePolicy(Kind policy, Duration window) {
  public enum Kind { FIRE_ONCE, FIRE_ALL, SKIP }
}
