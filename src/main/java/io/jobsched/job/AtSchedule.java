package io.jobsched.job;

import java.time.Instant;
import java.util.Optional;

/** One fire at a fixed instant; an instant in the past fires at once (the misfire policy decides). */
public record AtSchedule(Instant at) implements Schedule {
  @Override
  public Optional<Instant> firstFire(Instant now) {
    return Optional.of(at);
  }

  @Override
  public Optional<Instant> nextFireAfter(Instant previousFire) {
    return Optional.empty();
  }

  @Override
  public String type() {
    return "at";
  }
}
