package io.jobsched.store;

import io.jobsched.job.Job;
import io.jobsched.run.RunStatus;

import java.time.Instant;
import java.util.UUID;

/** A job definition with the state the store keeps beside it, and its last run (null: none yet). */
public record StoredJob(Job job, long version, boolean paused, Instant nextFireAt, Instant createdAt,
                        Instant updatedAt, LastRun lastRun) {

  /**
   * The job's most recent run that is not in the future, by (scheduled_for, attempt): a pending retry of
   * the latest fire counts, a fire the look-ahead created ahead of its time does not.
   */
  public record LastRun(UUID id, RunStatus status, Instant scheduledFor, Instant finishedAt) {}

  /** A job read without its last run. */
  public StoredJob(Job job, long version, boolean paused, Instant nextFireAt, Instant createdAt, Instant updatedAt) {
    this(job, version, paused, nextFireAt, createdAt, updatedAt, null);
  }
}
