package io.jobsched.queue;

import io.jobsched.run.Run;

import java.time.Instant;
import java.util.UUID;

/** What the ready queue needs to know of a run to place it: its queue (class and task kind), due time, priority. */
public record QueuedRun(UUID runId, String jobId, String resourceClass, String taskKind, Instant dueAt, int priority) {
  public static QueuedRun of(Run run) {
    return new QueuedRun(run.id(), run.jobId(), run.resourceClass(), run.taskKind(), run.dueAt(), run.priority());
  }
}
