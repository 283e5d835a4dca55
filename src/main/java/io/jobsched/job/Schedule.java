package io.jobsched.job;

import java.time.Instant;
import java.util.Optional;

/** When a job fires. Pure: every method takes the time it reasons about. */
public sealed interface Schedule permits CronSchedule, AtSchedule, EverySchedule, OnceSchedule, AfterSchedule {
  /** First fire of a job created or resumed at {@code now}; empty when it never fires by time. */
  Optional<Instant> firstFire(Instant now);

  /** The fire strictly after {@code previousFire}; empty when the schedule is exhausted. */
  Optional<Instant> nextFireAfter(Instant previousFire);

  /** The API name: cron, at, every, once, after. */
  String type();
}
