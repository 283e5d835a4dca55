package io.jobsched.queue;

import java.time.Instant;
import java.util.UUID;

/** What the ready queue needs to know of a run to place it. */
public record QueuedRun(UUID runId, String jobId, String resourceClass, Instant dueAt, int priority) {}
