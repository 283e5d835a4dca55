package io.jobsched.reaper;

import io.jobsched.metrics.JobschedMetrics;
import io.jobsched.queue.Claim;
import io.jobsched.queue.QueuedRun;
import io.jobsched.queue.RunQueue;
import io.jobsched.run.Run;
import io.jobsched.run.FollowUp;
import io.jobsched.run.RunStatus;
import io.jobsched.settle.ResultRecorder;
import io.jobsched.store.JobStore;
import io.jobsched.store.RunResults.Outcome;
import io.jobsched.store.RunStore;
import io.jobsched.store.RunningRunStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Heals what crashes leave behind, every {@code reaper.interval_ms}. Safe to run on every node at once:
 * each action is conditional (NX enqueue, token-checked lease release, token-checked run update).
 */
public final class ReaperVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ReaperVerticle.class);
  private static final int BATCH = 1000;
  /** A PENDING run younger than this may still be on its way from the scheduler's commit into Redis. */
  private static final Duration SETTLE = Duration.ofSeconds(2);

  private final RunStore runs;
  private final JobStore jobs;
  private final RunQueue queue;
  private final InstantSource clock;
  private final long intervalMs;
  private final LostLeases lostLeases;
  private final ResultRecorder recorder;
  private final JobschedMetrics metrics;
  private boolean busy;

  /** {@code recorder} is this verticle's own: it is used from one event loop only. */
  public ReaperVerticle(RunStore runs, RunningRunStore running, JobStore jobs, RunQueue queue, ResultRecorder recorder,
                        InstantSource clock, long intervalMs, int leaseMs, JobschedMetrics metrics) {
    this.runs = runs;
    this.lostLeases = new LostLeases(running, queue, leaseMs, BATCH);
    this.jobs = jobs;
    this.queue = queue;
    this.recorder = recorder;
    this.clock = clock;
    this.intervalMs = intervalMs;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(intervalMs, id -> sweep());
    return Future.succeededFuture();
  }

  void sweep() {
    if (busy) {
      return;
    }
    busy = true;
    reenqueueLostRuns()
        .compose(v -> lostLeases.restoreNextPage())
        .compose(restored -> {
          metrics.reaperAction("lease_restored", restored);
          return settleExpiredLeases();
        })
        .onComplete(ar -> {
          busy = false;
          if (ar.failed()) {
            log.warn("reaper sweep failed: {}", ar.cause().getMessage());
          }
        });
  }

  /**
   * Redis is an index: PENDING runs it does not hold (flushed, restarted empty) are put back. Only runs
   * overdue by {@link #SETTLE}: one due sooner is held by a worker or queued (or finishing, which a worker is
   * about to record, and queueing it again would only leave a stale entry).
   */
  private Future<Void> reenqueueLostRuns() {
    return runs.pendingDue(SETTLE.negated(), SETTLE, BATCH)
        .compose(pending -> pending.isEmpty() ? Future.succeededFuture(0) : queue.enqueue(pending))
        .onSuccess(added -> {
          metrics.reaperAction("reenqueued", added);
          if (added > 0) {
            log.warn("re-enqueued {} PENDING runs overdue by {} ms that Redis did not hold (lost, or not yet queued "
                + "by a slow promotion)", added, SETTLE.toMillis());
          }
        })
        .mapEmpty();
  }

  private Future<Void> settleExpiredLeases() {
    List<Future<?>> partitions = new ArrayList<>();
    for (int p = 0; p < queue.partitions(); p++) {
      partitions.add(queue.expired(p, BATCH).compose(this::settleAll));
    }
    return Future.all(partitions).mapEmpty();
  }

  private Future<Void> settleAll(List<Claim> expired) {
    List<Future<?>> settled = new ArrayList<>();
    for (Claim claim : expired) {
      metrics.leaseExpired();
      settled.add(runs.get(claim.runId()).compose(run -> settle(claim, run)));
    }
    return Future.all(settled).mapEmpty();
  }

  /** One expired lease: decide from the run's row in Postgres, the source of truth. */
  private Future<Void> settle(Claim claim, Optional<Run> maybeRun) {
    if (maybeRun.isEmpty() || maybeRun.get().status().isTerminal()) {
      // the result was recorded but the lease not dropped (worker died in between), or the run is gone
      metrics.reaperAction("released", 1);
      return queue.release(claim).mapEmpty();
    }
    Run run = maybeRun.get();
    if (run.status() == RunStatus.PENDING && run.dueAt().isAfter(clock.instant())) {
      // claimed ahead of its instant, so never started: fence the claim (a holder that was only paused must
      // not start it beside the next) and hand the same attempt back
      metrics.reaperAction("requeued", 1);
      return runs.fence(run, claim.token())
          .compose(fenced -> fenced ? queue.requeue(claim, QueuedRun.of(run)) : queue.release(claim))
          .mapEmpty();
    }
    // RUNNING, or PENDING past its instant: its task may have started (a quick task is not written RUNNING),
    // so the worker is lost with the attempt, whose claim must still be the one Postgres knows
    boolean ours = run.status() == RunStatus.PENDING ? run.token() == null : run.token() != null && run.token() == claim.token();
    if (!ours) {
      metrics.reaperAction("released", 1);
      return queue.release(claim).mapEmpty();
    }
    return jobs.get(jobs.pool(), run.jobId()).compose(job -> {
      boolean cancelRequested = run.cancelRequested();
      // the worker vanished: a recorded cancel wins; else, past its timeout the run timed out (on_timeout
      // applies, handler included); else the attempt failed and the retry policy decides
      boolean overdue = job.isPresent() && run.startedAt() != null
          && run.startedAt().plus(job.get().job().timeout()).isBefore(clock.instant());
      RunStatus status = cancelRequested ? RunStatus.CANCELLED : overdue ? RunStatus.TIMED_OUT : RunStatus.FAILED;
      String reason = cancelRequested ? "cancelled" : overdue ? "timeout" : "lease_expired";
      double random = ThreadLocalRandom.current().nextDouble();
      FollowUp followUp = job.map(j -> status == RunStatus.FAILED ? FollowUp.afterWorkerLost(j.job(), run, random)
          : FollowUp.decide(j.job(), run, status, random)).orElse(FollowUp.NONE);
      metrics.reaperAction("settled", 1);
      log.warn("run {} of job {}: the lease of its worker ({}) expired, ending the attempt {}", run.id(), run.jobId(),
          run.worker() == null ? "not recorded: the task was not written RUNNING" : run.worker(), status);
      return recorder.record(run, new Outcome(run.id(), run.scheduledFor(), claim.token(), status, null,
          "worker lost: lease expired", reason, followUp), claim);
    }).mapEmpty();
  }
}
