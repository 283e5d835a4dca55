package io.jobsched.worker;

import io.jobsched.job.Job;
import io.jobsched.logs.LogLine;
import io.jobsched.queue.Claim;
import io.jobsched.queue.QueuedRun;
import io.jobsched.run.Run;
import io.jobsched.run.FollowUp;
import io.jobsched.run.RunStatus;
import io.jobsched.store.RunResults.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One claimed run on this worker: starts the task, enforces the timeout, ships its output and records
 * the result under the claim's fencing token. A run whose lease was lost is stopped and its result
 * dropped: the run's new owner decides it.
 */
final class RunExecution {
  private static final Logger log = LoggerFactory.getLogger(RunExecution.class);
  private static final long MAX_RECORD_RETRY_MS = 5_000;

  private final Vertx vertx;
  private final Run run;
  private final Job job;
  private final Claim claim;
  private final WorkerContext ctx;
  private final AtomicLong seq = new AtomicLong();
  private final Promise<Void> done = Promise.promise();
  private RunningTask task;
  private long timeoutTimer = -1;
  private boolean timedOut;
  private boolean cancelled;
  private boolean fenced;
  private boolean handingBack;
  private boolean ended;
  private long leaseValidUntilNanos;

  RunExecution(Vertx vertx, Run run, Job job, Claim claim, WorkerContext ctx, long leaseValidUntilNanos) {
    this.vertx = vertx;
    this.run = run;
    this.job = job;
    this.claim = claim;
    this.ctx = ctx;
    this.leaseValidUntilNanos = leaseValidUntilNanos;
  }

  /** Whether this worker's lease certainly had not expired at {@code nanos} (System.nanoTime). */
  boolean leaseValidAt(long nanos) {
    return nanos - leaseValidUntilNanos < 0;
  }

  void leaseRenewed(long validUntilNanos) {
    leaseValidUntilNanos = validUntilNanos;
  }

  Run run() {
    return run;
  }

  Claim claim() {
    return claim;
  }

  String resourceClass() {
    return run.resourceClass();
  }

  /** Completes once the run's result is recorded (or dropped because the claim was fenced). */
  Future<Void> done() {
    return done.future();
  }

  void start() {
    ctx.events().changed(run);
    LogSink sink = (stream, line) -> ctx.logs().add(
        new LogLine(run.id(), run.jobId(), stream, seq.incrementAndGet(), ctx.clock().instant(), line));
    TaskRunner runner = ctx.runners().forTask(job.task());
    runner.start(new TaskContext(run, job, sink)).onComplete(ar -> {
      if (ar.failed()) {
        record(RunStatus.FAILED, null, "cannot start task: " + ar.cause().getMessage(), null);
        return;
      }
      task = ar.result();
      if (cancelled || handingBack) {
        task.stop(job.onTimeout().grace());
      }
      timeoutTimer = vertx.setTimer(Math.max(1, job.timeout().toMillis()), id -> onTimeout());
      task.result().onComplete(r -> onTaskEnded(r.succeeded() ? r.result() : TaskResult.failure(null, r.cause().getMessage())));
    });
  }

  private void onTimeout() {
    timedOut = true;
    log.info("run {} of job {} exceeded its timeout {}, stopping it", run.id(), run.jobId(), job.timeout());
    task.stop(job.onTimeout().grace());
  }

  /** The lease moved to another claim: stop the task, drop its result. */
  void leaseLost() {
    // once the task ended the result is being recorded under the token, which decides; a heartbeat racing
    // the release is no news
    if (!fenced && !ended) {
      fenced = true;
      log.warn("run {} lost its lease (token {}); stopping it, its result will be dropped", run.id(), claim.token());
      if (task != null) {
        task.stop(Duration.ZERO);
      }
    }
  }

  /** Idempotent: a cancel seen twice (message and heartbeat check) stops the task once. */
  void cancel() {
    if (cancelled) {
      return;
    }
    cancelled = true;
    if (task != null) {
      task.stop(job.onTimeout().grace());
    }
  }

  /**
   * The worker is shutting down before this task ended: stop it (at most {@code maxGrace} of its grace) and
   * put the run back to PENDING for another worker, unless it times out or is cancelled first.
   */
  void handBack(Duration maxGrace) {
    if (ended || handingBack || timedOut || cancelled || fenced) {
      return;
    }
    handingBack = true;
    log.info("run {} of job {}: worker stopping, handing the run back", run.id(), run.jobId());
    if (task != null) {
      Duration grace = job.onTimeout().grace();
      task.stop(grace.compareTo(maxGrace) > 0 ? maxGrace : grace);
    }
  }

  private void onTaskEnded(TaskResult result) {
    ended = true;
    vertx.cancelTimer(timeoutTimer);
    if (handingBack && !fenced) {
      recordHandBack();
    } else if (timedOut) {
      record(RunStatus.TIMED_OUT, result.exitCode(), "timed out after " + job.timeout(), "timeout");
    } else if (cancelled) {
      record(RunStatus.CANCELLED, result.exitCode(), null, "cancelled");
    } else if (result.succeeded()) {
      record(RunStatus.SUCCESS, result.exitCode(), null, null);
    } else {
      record(RunStatus.FAILED, result.exitCode(), result.error(), null);
    }
  }

  private void record(RunStatus status, Integer exitCode, String error, String reason) {
    if (fenced) {
      done.tryComplete();
      return;
    }
    ctx.logs().flush()
        .recover(err -> Future.succeededFuture()) // lines stay queued in the shipper; the result must not wait on Redis
        .compose(v -> recordWithRetry(status, exitCode, error, reason, 100))
        .onSuccess(result -> {
          if (result.isEmpty()) {
            log.warn("run {}: result {} dropped, the claim with token {} was fenced", run.id(), status, claim.token());
          }
        })
        .onComplete(ar -> done.tryComplete());
  }

  private void recordHandBack() {
    ctx.logs().flush()
        .recover(err -> Future.succeededFuture())
        .compose(v -> ctx.running().handBack(run, claim.token()))
        .compose(back -> {
          if (back.isEmpty()) {
            return ctx.queue().release(claim);
          }
          ctx.events().changed(back.get());
          // if this fails the lease expires and the reaper re-queues the PENDING run
          return ctx.queue().requeue(claim, QueuedRun.of(back.get()));
        })
        .onComplete(ar -> {
          if (ar.failed()) {
            log.warn("run {}: handing back failed ({}); the reaper will re-queue it", run.id(), ar.cause().getMessage());
          }
          done.tryComplete();
        });
  }

  /** Postgres may be restarting: keep trying while we still hold the lease. */
  private Future<Optional<Run>> recordWithRetry(RunStatus status, Integer exitCode, String error, String reason,
                                                long delayMs) {
    FollowUp followUp = FollowUp.decide(job, run, status, ThreadLocalRandom.current().nextDouble());
    Outcome outcome = new Outcome(run.id(), run.scheduledFor(), claim.token(), status, exitCode, error,
        followUp.reasonFor(job, status, reason), followUp);
    return ctx.recorder().record(outcome, claim).recover(err -> {
      if (fenced) {
        return Future.succeededFuture(Optional.empty());
      }
      log.warn("run {}: recording {} failed ({}), retrying in {} ms", run.id(), status, err.getMessage(), delayMs);
      Promise<Optional<Run>> retry = Promise.promise();
      vertx.setTimer(delayMs, id -> recordWithRetry(status, exitCode, error, reason,
          Math.min(MAX_RECORD_RETRY_MS, delayMs * 2)).onComplete(retry));
      return retry.future();
    });
  }
}
