package io.jobsched.job;

import java.time.Instant;
import java.util.Optional;

/** One fire, as soon as the job is created. */
public record OnceSchedule() implements Schedule {
  @Override
  public Optional<Instant> firstFire(Instant now) {
    return Optional.of(now);
  }

  @Override
  public Optional<Instant> nextFireAfter(Instant previousFire) {
    return Optional.empty();
  }

  @Override
  public String type() {
    return "once";
  }
}
