package io.jobsched.job;

import java.time.Duration;

/** Does nothing for {@code duration}: for tests and benchmarks. */
public record NoopTask(Duration duration) implements TaskSpec {
  @Override
  public String type() {
    return "noop";
  }
}
