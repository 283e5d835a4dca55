package io.jobsched.queue;

import io.jobsched.job.Needs;
import io.jobsched.run.Run;

import java.time.Instant;
import java.util.UUID;

/**
 * What the ready queue needs to know of a run to place it: its queue (class, task kind, and whether it is
 * sized), due time, priority, and the cpu, memory and GPUs it reserves ({@link Needs#NONE}: the unsized queue).
 */
public record QueuedRun(UUID runId, String jobId, String resourceClass, String taskKind, Instant dueAt, int priority,
                        Needs needs) {
  public QueuedRun {
    needs = needs == null ? Needs.NONE : needs;
  }

  /** An unsized run. */
  public QueuedRun(UUID runId, String jobId, String resourceClass, String taskKind, Instant dueAt, int priority) {
    this(runId, jobId, resourceClass, taskKind, dueAt, priority, Needs.NONE);
  }

  public static QueuedRun of(Run run) {
    return new QueuedRun(run.id(), run.jobId(), run.resourceClass(), run.taskKind(), run.dueAt(), run.priority(),
        run.needs());
  }

  public boolean sized() {
    return !needs.reservesNothing();
  }
}
