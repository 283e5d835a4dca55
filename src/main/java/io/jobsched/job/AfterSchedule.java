package io.jobsched.job;

import java.time.Instant;
import java.util.Optional;

/** Fires when a run of another job ends with the given outcome; never by time. */
public record AfterSchedule(String jobId, AfterOutcome on) implements Schedule {
  /** Which ends of the upstream run fire this job. */
  public enum AfterOutcome { SUCCESS, FAILURE, COMPLETION }

  public boolean matches(boolean succeeded) {
    return on == AfterOutcome.COMPLETION || (on == AfterOutcome.SUCCESS) == succeeded;
  }

  @Override
  public Optional<Instant> firstFire(Instant now) {
    return Optional.empty();
  }

  @Override
  public Optional<Instant> nextFireAfter(Instant previousFire) {
    return Optional.empty();
  }

  @Override
  public String type() {
    return "after";
  }
}
