package io.jobsched.store;

import io.jobsched.job.Needs;
import io.jobsched.queue.QueuedRun;
import io.jobsched.run.Notice;
import io.jobsched.run.RunStatus;
import io.jobsched.run.Trigger;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A run about to be inserted: PENDING (to be queued) or SKIPPED (recorded so no fire disappears).
 * {@code causedBy} is part of the run's key beside (job, scheduled_for, attempt): null for the schedule's own
 * fires, the run itself for a manual trigger (each request is its own fire). {@code jobVersion}: the version of
 * the job's definition the fire was planned with. {@code needs}: the cpu, memory and GPUs it reserves.
 * {@code notices}: what a run inserted SKIPPED owes (written
 * with it, in the same statement); empty for a PENDING run.
 */
public record NewRun(UUID id, String jobId, String namespace, Instant scheduledFor, int attempt, Trigger trigger,
                     RunStatus status, String reason, String resourceClass, String taskKind, int priority,
                     Instant dueAt, JsonObject context, UUID causedBy, Long jobVersion, Needs needs,
                     List<Notice> notices) {
  public NewRun {
    needs = needs == null ? Needs.NONE : needs;
    notices = notices == null || notices.isEmpty() ? List.of() : List.copyOf(notices);
  }

  /** A run of a job that reserves nothing and owes no notices. */
  public NewRun(UUID id, String jobId, String namespace, Instant scheduledFor, int attempt, Trigger trigger,
                RunStatus status, String reason, String resourceClass, String taskKind, int priority, Instant dueAt,
                JsonObject context, UUID causedBy, Long jobVersion) {
    this(id, jobId, namespace, scheduledFor, attempt, trigger, status, reason, resourceClass, taskKind, priority,
        dueAt, context, causedBy, jobVersion, Needs.NONE, List.of());
  }

  /** Its place in the ready queue, once inserted. */
  public QueuedRun queued() {
    return new QueuedRun(id, jobId, resourceClass, taskKind, dueAt, priority, needs);
  }
}
