package io.jobsched.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Fires at anchor + k × interval. The anchor is {@code startAt}, or the moment the job was created when
 * absent, so a job without {@code start_at} fires at once and then every interval.
 */
public record EverySchedule(Duration interval, Instant startAt) implements Schedule {
  public EverySchedule {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive");
    }
  }

  @Override
  public Optional<Instant> firstFire(Instant now) {
    if (startAt == null || !startAt.isBefore(now)) {
      return Optional.of(startAt == null ? now : startAt);
    }
    long intervals = ceilDiv(Duration.between(startAt, now).toNanos(), interval.toNanos());
    return Optional.of(startAt.plus(interval.multipliedBy(intervals)));
  }

  @Override
  public Optional<Instant> nextFireAfter(Instant previousFire) {
    return Optional.of(previousFire.plus(interval));
  }

  @Override
  public String type() {
    return "every";
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
