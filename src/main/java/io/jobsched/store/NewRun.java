package io.jobsched.store;

import io.jobsched.queue.QueuedRun;
import io.jobsched.run.RunStatus;
import io.jobsched.run.Trigger;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/** A run about to be inserted: PENDING (to be queued) or SKIPPED (recorded so no fire disappears). */
public record NewRun(UUID id, String jobId, String namespace, Instant scheduledFor, int attempt, Trigger trigger,
                     RunStatus status, String reason, String resourceClass, int priority, Instant dueAt,
                     JsonObject context) {
  /** Its place in the ready queue, once inserted. */
  public QueuedRun queued() {
    return new QueuedRun(id, jobId, resourceClass, dueAt, priority);
  }
}
