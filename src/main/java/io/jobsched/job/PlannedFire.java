package io.jobsched.job;

import java.time.Instant;

/** One fire the scheduler materialises: a run to execute, or a SKIPPED record with its reason. */
public record PlannedFire(Instant scheduledFor, Outcome outcome, String reason) {
  public enum Outcome { RUN, SKIP }

  static PlannedFire run(Instant at) {
    return new PlannedFire(at, Outcome.RUN, null);
  }

  static PlannedFire skip(Instant at, String reason) {
    return new PlannedFire(at, Outcome.SKIP, reason);
  }
}
