package io.jobsched.run;

import io.jobsched.job.Needs;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One attempt of one fire of a job, as stored. Times are null until the run reaches that point;
 * {@code context} says what caused the run when another run did (previous attempt, upstream, timed-out run).
 * {@code resourceClass} and {@code taskKind} pick the ready queue it waits in; {@code cancelRequested} says
 * someone asked a RUNNING run to stop (its worker acts on it, or the reaper if the worker is gone).
 * {@code jobVersion} is the version of the job's definition its fire was planned with (a retry: its fire's;
 * null for runs made before versions were recorded, and for runs read from the cold tier). {@code needs}: the
 * cpu, memory and GPUs it reserves on its worker, copied from its job when the run was made.
 */
public record Run(
    UUID id, String jobId, String namespace, Instant scheduledFor, int attempt, Trigger trigger,
    RunStatus status, String reason, String worker, Long token, String resourceClass, String taskKind, int priority,
    Instant dueAt, Instant enqueuedAt, Instant startedAt, Instant finishedAt, Integer exitCode, String error,
    Map<String, Object> context, boolean cancelRequested, Long jobVersion, Needs needs) {

  /** Namespace, class and kind repeat in every run: one copy each for the runs a worker holds (a spike: 200,000). */
  public Run {
    namespace = namespace == null ? null : namespace.intern();
    resourceClass = resourceClass == null ? null : resourceClass.intern();
    taskKind = taskKind == null ? null : taskKind.intern();
    needs = needs == null ? Needs.NONE : needs;
  }

  /** A run that reserves no cpu, memory or GPU. */
  public Run(UUID id, String jobId, String namespace, Instant scheduledFor, int attempt, Trigger trigger,
             RunStatus status, String reason, String worker, Long token, String resourceClass, String taskKind,
             int priority, Instant dueAt, Instant enqueuedAt, Instant startedAt, Instant finishedAt, Integer exitCode,
             String error, Map<String, Object> context, boolean cancelRequested, Long jobVersion) {
    this(id, jobId, namespace, scheduledFor, attempt, trigger, status, reason, worker, token, resourceClass, taskKind,
        priority, dueAt, enqueuedAt, startedAt, finishedAt, exitCode, error, context, cancelRequested, jobVersion,
        Needs.NONE);
  }

  /** A run whose job version is not known. */
  public Run(UUID id, String jobId, String namespace, Instant scheduledFor, int attempt, Trigger trigger,
             RunStatus status, String reason, String worker, Long token, String resourceClass, String taskKind,
             int priority, Instant dueAt, Instant enqueuedAt, Instant startedAt, Instant finishedAt, Integer exitCode,
             String error, Map<String, Object> context, boolean cancelRequested) {
    this(id, jobId, namespace, scheduledFor, attempt, trigger, status, reason, worker, token, resourceClass, taskKind,
        priority, dueAt, enqueuedAt, startedAt, finishedAt, exitCode, error, context, cancelRequested, null,
        Needs.NONE);
  }

  /** How late the run started compared with when it was due; null until it starts. */
  public Long latenessMs() {
    return startedAt == null ? null : Math.max(0, Duration.between(dueAt, startedAt).toMillis());
  }

  public Long durationMs() {
    return startedAt == null || finishedAt == null ? null : Duration.between(startedAt, finishedAt).toMillis();
  }

  /** Earlier attempts of this fire that ended because their worker was lost (they consume no retry). */
  public int workersLost() {
    return context != null && context.get("workers_lost") instanceof Number n ? n.intValue() : 0;
  }
}
