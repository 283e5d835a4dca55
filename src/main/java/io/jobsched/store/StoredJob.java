package io.jobsched.store;

import io.jobsched.job.Job;

import java.time.Instant;

/** A job definition with the state the store keeps beside it. */
public record StoredJob(Job job, long version, boolean paused, Instant nextFireAt, Instant createdAt,
                        Instant updatedAt) {}
