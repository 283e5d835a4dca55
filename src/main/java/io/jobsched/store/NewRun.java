package io.jobsched.store;

import io.jobsched.job.Needs;
import io.jobsched.queue.QueuedRun;
import io.jobsched.run.RunStatus;
import io.jobsched.run.Trigger;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * A run about to be inserted: PENDING (to be queued) or SKIPPED (recorded so no fire disappears).
 * {@code causedBy} is part of the run's key beside (job, scheduled_for, attempt): null for the schedule's own
 * fires, the run itself for a manual trigger (each request is its own fire). {@code jobVersion}: the version of
 * the job's definition the fire was planned with.
 */
public record NewRun(UUID id, String jobId, String namespace, Instant scheduledFor, int attempt, Trigger trigger,
                     RunStatus status, String reason, String resourceClass, String taskKind, int priority,
                     Instant dueAt, JsonObject context, UUID causedBy, Long jobVersion, Needs needs) {
  public NewRun {
    needs = needs == null ? Needs.NONE : needs;
  }

  /** Its place in the ready queue, once inserted. */
  public QueuedRun queued() {
    return new QueuedRun(id, jobId, resourceClass, taskKind, dueAt, priority, needs);
  }
}
