package io.jobsched.worker;

import io.jobsched.job.Job;
import io.jobsched.queue.Claim;
import io.jobsched.queue.QueuedRun;
import io.jobsched.run.FollowUp;
import io.jobsched.run.Run;
import io.jobsched.run.RunStatus;
import io.jobsched.store.RunResults.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/** How one execution ends in Postgres and Redis: its result recorded under the claim, or the run handed back. */
final class Outcomes {
  private static final Logger log = LoggerFactory.getLogger(Outcomes.class);
  private static final long FIRST_RETRY_MS = 100;
  private static final long MAX_RECORD_RETRY_MS = 5_000;

  private final Vertx vertx;
  private final WorkerContext ctx;
  private final Job job;
  private final Claim claim;

  Outcomes(Vertx vertx, WorkerContext ctx, Job job, Claim claim) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.job = job;
    this.claim = claim;
  }

  /**
   * Records the result once the task's output is shipped (the result must not wait on Redis, so a failed
   * flush leaves the lines queued in the shipper). The task's start and end travel as this JVM's monotonic
   * clock readings; Postgres stamps them ({@link Outcome}).
   */
  Future<Void> record(Run run, RunStatus status, Integer exitCode, String error, String reason, long startedNanos,
                      long endedNanos, BooleanSupplier fenced) {
    return ctx.logs().flush()
        .recover(err -> Future.succeededFuture())
        .compose(v -> recordWithRetry(run, status, exitCode, error, reason, startedNanos, endedNanos, fenced,
            FIRST_RETRY_MS))
        .onSuccess(result -> {
          if (result.isEmpty()) {
            log.warn("run {}: result {} dropped, the claim with token {} was fenced", run.id(), status, claim.token());
          }
        })
        .mapEmpty();
  }

  /** Postgres may be restarting: keep trying while we still hold the lease. */
  private Future<Optional<Run>> recordWithRetry(Run run, RunStatus status, Integer exitCode, String error,
                                                String reason, long startedNanos, long endedNanos,
                                                BooleanSupplier fenced, long delayMs) {
    FollowUp followUp = FollowUp.decide(job, run, status, ThreadLocalRandom.current().nextDouble());
    Outcome outcome = new Outcome(run.id(), run.scheduledFor(), claim.token(), status, exitCode, error,
        followUp.reasonFor(job, status, reason), followUp, ctx.workerId(), startedNanos, endedNanos);
    return ctx.recorder().record(run, outcome, claim).recover(err -> {
      if (fenced.getAsBoolean()) {
        return Future.succeededFuture(Optional.empty());
      }
      log.warn("run {}: recording {} failed ({}), retrying in {} ms", run.id(), status, err.getMessage(), delayMs);
      Promise<Optional<Run>> retry = Promise.promise();
      vertx.setTimer(delayMs, id -> recordWithRetry(run, status, exitCode, error, reason, startedNanos, endedNanos,
          fenced, Math.min(MAX_RECORD_RETRY_MS, delayMs * 2)).onComplete(retry));
      return retry.future();
    });
  }

  /**
   * Puts the run back for another worker as the same attempt: a run written RUNNING goes back to PENDING
   * under the token first; one still PENDING (held, or a task stopped before it was written) only needs its
   * claim requeued. If this fails the lease expires and the reaper re-queues the run.
   */
  Future<Void> requeue(Run run, boolean marked) {
    Future<Optional<Run>> pending = marked
        ? ctx.logs().flush().recover(err -> Future.succeededFuture()).compose(v -> ctx.running().handBack(run, claim.token()))
        : Future.succeededFuture(Optional.of(run));
    return pending.compose(back -> {
      if (back.isEmpty()) {
        return ctx.queue().release(claim);
      }
      if (marked) {
        ctx.events().changed(back.get());
      }
      return ctx.queue().requeue(claim, QueuedRun.of(back.get()));
    }).onFailure(err -> log.warn("run {}: handing back failed ({}); the reaper will re-queue it", run.id(),
        err.getMessage())).mapEmpty();
  }
}
