package io.jobsched.worker;

import io.jobsched.job.Job;
import io.jobsched.job.OverlapPolicy;
import io.jobsched.logs.LogLine;
import io.jobsched.queue.Claim;
import io.jobsched.queue.QueuedRun;
import io.jobsched.run.Run;
import io.jobsched.run.RunStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One claimed run on this worker, from its claim to its recorded result: held until its instant (a run
 * claimed ahead of time waits on a timer measured on Redis' clock), then its task starts at once, with no
 * write first. A task still running {@link #RUNNING_AFTER_MS} later is written RUNNING; a quicker one goes
 * straight from PENDING to its result. Jobs with an overlap policy are written RUNNING before their task
 * starts, since the policy is judged on running runs. The timeout is enforced and the result recorded under
 * the claim's token ({@link Outcomes}). A run whose claim was lost is stopped and its result dropped: the
 * run's new owner decides it.
 */
final class RunExecution {
  private static final Logger log = LoggerFactory.getLogger(RunExecution.class);
  /** Tasks shorter than this are never written RUNNING: their result is their first write. */
  static final long RUNNING_AFTER_MS = 250;

  private enum State { HELD, STARTING, RUNNING, ENDED }

  private final Vertx vertx;
  private final Job job;
  private final Claim claim;
  private final WorkerContext ctx;
  private final OverlapGate overlap;
  private final Runnable slotFreed;
  private final AtomicLong seq = new AtomicLong();
  private final Promise<Void> done = Promise.promise();
  private final Outcomes outcomes;
  private Run run;
  private State state = State.HELD;
  private RunningTask task;
  private long timeoutTimer = -1;
  private long markTimer = -1;
  private long startedNanos;
  private boolean marked;
  private boolean timedOut;
  private boolean cancelled;
  private boolean fenced;
  private boolean handingBack;
  private long leaseValidUntilNanos;

  /** {@code slotFreed} runs once, when the task ended or the run was given up before it started. */
  RunExecution(Vertx vertx, Run run, Job job, Claim claim, WorkerContext ctx, OverlapGate overlap,
               long leaseValidUntilNanos, Runnable slotFreed) {
    this.vertx = vertx;
    this.run = run;
    this.job = job;
    this.claim = claim;
    this.ctx = ctx;
    this.overlap = overlap;
    this.leaseValidUntilNanos = leaseValidUntilNanos;
    this.slotFreed = slotFreed;
    this.outcomes = new Outcomes(vertx, ctx, job, claim);
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

  /** Its task was started (it may have ended since). */
  boolean started() {
    return state == State.STARTING || state == State.RUNNING;
  }

  /** Its task ended, or it was given up: its result is being recorded or dropped. */
  boolean ended() {
    return state == State.ENDED;
  }

  /** Its task ended and its result, not fenced, is still on its way to Postgres (which may be down). */
  boolean recording() {
    return state == State.ENDED && !fenced && !done.future().isComplete();
  }

  Claim claim() {
    return claim;
  }

  /** Completes once the run's result is recorded, or dropped because the claim was lost or the run given back. */
  Future<Void> done() {
    return done.future();
  }

  /**
   * Starts the run: its instant has come (held runs are started by the worker's {@link Instants}). Does
   * nothing once the run was given up or handed back while held.
   */
  void begin() {
    if (state != State.HELD) {
      return;
    }
    state = State.STARTING;
    if (job.overlap() == OverlapPolicy.ALLOW) {
      startTask();
      return;
    }
    startedNanos = System.nanoTime();
    markRunning().compose(ok -> ok ? overlap.admit(run, job, claim) : Future.succeededFuture(false))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result()) {
            startTask();
          } else {
            // skipped by the overlap policy (recorded), fenced, or Postgres failed: the lease lapses then and
            // the reaper settles the run
            giveUp(ar.succeeded() && !fenced);
          }
        });
  }

  private void startTask() {
    if (cancelled || handingBack || fenced) {
      giveUp(!fenced);
      return;
    }
    state = State.RUNNING;
    if (!marked) {
      startedNanos = System.nanoTime();
    }
    ctx.metrics().runStarted(ctx.clock().millis() - run.dueAt().toEpochMilli());
    LogSink sink = (stream, line) -> ctx.logs().add(
        new LogLine(run.id(), run.jobId(), run.namespace(), stream, seq.incrementAndGet(), ctx.clock().instant(), line));
    ctx.runners().forTask(job.task()).start(new TaskContext(run, job, sink)).onComplete(ar -> {
      if (ar.failed()) {
        onTaskEnded(TaskResult.failure(null, "cannot start task: " + ar.cause().getMessage()));
        return;
      }
      task = ar.result();
      if (cancelled || handingBack || fenced) {
        task.stop(fenced ? Duration.ZERO : job.onTimeout().grace());
      }
      // a task that ended as it started (a noop, a launch that failed) needs no timers
      if (!task.result().isComplete()) {
        timeoutTimer = vertx.setTimer(Math.max(1, job.timeout().toMillis()), id -> onTimeout());
        if (!marked) {
          markTimer = vertx.setTimer(RUNNING_AFTER_MS, id -> markRunning());
        }
      }
      task.result().onComplete(r -> onTaskEnded(r.succeeded() ? r.result() : TaskResult.failure(null, r.cause().getMessage())));
    });
  }

  /** Writes RUNNING under the claim; resolves to false when the claim was fenced (the task is then stopped). */
  private Future<Boolean> markRunning() {
    if (state == State.ENDED || marked) {
      return Future.succeededFuture(marked);
    }
    return ctx.marks().mark(run, claim.token(), startedNanos).map(markedRun -> {
      if (markedRun.isEmpty()) {
        lost("it was cancelled, paused or taken over before it was written RUNNING");
        return false;
      }
      marked = true;
      run = markedRun.get();
      ctx.events().changed(run);
      return true;
    });
  }

  private void onTimeout() {
    timedOut = true;
    log.info("run {} of job {} exceeded its timeout {}, stopping it", run.id(), run.jobId(), job.timeout());
    task.stop(job.onTimeout().grace());
  }

  /** Its instant came late (a pause, an overloaded machine) and Redis no longer held its lease for it. */
  void lapsedBeforeStart() {
    lost("came to its instant after its lease had lapsed (this worker was paused or overloaded)");
  }

  /** The claim moved on (lease lost, or fenced in Postgres): stop the task, drop its result. */
  void leaseLost() {
    lost("lost its lease (token " + claim.token() + ")");
  }

  private void lost(String why) {
    // once the task ended the result is being recorded under the token, which decides
    if (fenced || state == State.ENDED) {
      return;
    }
    fenced = true;
    log.warn("run {} {}; stopping it, its result will be dropped", run.id(), why);
    if (state == State.HELD) {
      giveUp(false);
    } else if (task != null) {
      task.stop(Duration.ZERO);
    }
  }

  /** Idempotent: a cancel seen twice (message and heartbeat check) stops the task once. */
  void cancel() {
    if (cancelled || state == State.ENDED) {
      return;
    }
    cancelled = true;
    if (state == State.HELD) {
      // the canceller (API, pause) has ended the run in Postgres already
      giveUp(true);
    } else if (task != null) {
      task.stop(job.onTimeout().grace());
    }
  }

  /**
   * The worker is shutting down before this task ended: stop it (at most {@code maxGrace} of its grace) and
   * put the run back for another worker, unless it times out or is cancelled first.
   */
  void handBack(Duration maxGrace) {
    if (state == State.ENDED || handingBack || timedOut || cancelled || fenced) {
      return;
    }
    if (state == State.HELD) {
      putBack("worker stopping");
      return;
    }
    handingBack = true;
    log.info("run {} of job {}: worker stopping, handing the run back", run.id(), run.jobId());
    if (task != null) {
      Duration grace = job.onTimeout().grace();
      task.stop(grace.compareTo(maxGrace) > 0 ? maxGrace : grace);
    }
  }

  /**
   * A run not started yet goes back to the queue at once, to be claimed and read again: the worker stops
   * (running ones get the drain time), or its job changed (read again under the new definition).
   */
  void putBackIfHeld(String why) {
    if (state == State.HELD && !handingBack && !cancelled && !fenced) {
      putBack(why);
    }
  }

  private void putBack(String why) {
    handingBack = true;
    log.info("run {} of job {}: {}, handing the run back", run.id(), run.jobId(), why);
    end();
    outcomes.requeue(run, marked).onComplete(ar -> done.tryComplete());
  }

  /** Never started: frees the slot, and releases the claim when it is still ours ({@code release}). */
  private void giveUp(boolean release) {
    end();
    (release ? ctx.queue().release(claim).mapEmpty() : Future.succeededFuture())
        .onComplete(ar -> done.tryComplete());
  }

  private void end() {
    if (state != State.ENDED) {
      state = State.ENDED;
      vertx.cancelTimer(timeoutTimer);
      vertx.cancelTimer(markTimer);
      slotFreed.run();
    }
  }

  private void onTaskEnded(TaskResult result) {
    long endedNanos = System.nanoTime();
    end();
    Future<?> recorded;
    if (handingBack && !fenced) {
      recorded = outcomes.requeue(run, marked);
    } else if (fenced) {
      recorded = Future.succeededFuture();
    } else {
      RunStatus status = timedOut ? RunStatus.TIMED_OUT : cancelled ? RunStatus.CANCELLED
          : result.succeeded() ? RunStatus.SUCCESS : RunStatus.FAILED;
      String error = timedOut ? "timed out after " + job.timeout() : cancelled || result.succeeded() ? null : result.error();
      String reason = timedOut ? "timeout" : cancelled ? "cancelled" : result.succeeded() ? null : result.reason();
      recorded = outcomes.record(run, status, result.exitCode(), error, reason, startedNanos, endedNanos, () -> fenced);
    }
    recorded.onComplete(ar -> done.tryComplete());
  }
}
