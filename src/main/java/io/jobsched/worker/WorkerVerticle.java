package io.jobsched.worker;

import io.jobsched.job.Job;
import io.jobsched.queue.Claim;
import io.jobsched.run.FollowUp;
import io.jobsched.run.RunStatus;
import io.jobsched.scheduler.SchedulerVerticle;
import io.jobsched.settle.RunEvents;
import io.jobsched.store.RunResults.Outcome;
import io.jobsched.store.RunStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Claims due runs of the resource classes and task kinds it serves, never more than each class's capacity,
 * runs them, and keeps their leases alive on a timer of its own. Polls every {@code poll_ms}, and at once
 * when a scheduler announces new runs. A kind it does not serve ({@code worker.task_kinds}) waits in a
 * queue of its own that this worker never claims from.
 */
public final class WorkerVerticle extends VerticleBase {
  /** The most of a task's own grace a shutdown waits for; the process stops soon after drain_ms. */
  private static final Duration HAND_BACK_GRACE = Duration.ofSeconds(5);

  private final WorkerContext ctx;
  private final String workerId;
  private final Slots slots;
  private final List<String> taskKinds;
  private final int pollMs;
  private final int leaseMs;
  private final int heartbeatMs;
  private final int drainMs;
  private final LeaseKeeper leases;
  private final OverlapGate overlap;
  private final Map<UUID, RunExecution> active = new HashMap<>();
  private final Backoff backoff = new Backoff();
  private boolean polling;
  private boolean pollAgain;
  private boolean draining;
  private boolean handingBack;
  private Promise<Void> drained;
  private int nextPartition;
  private int nextKind;

  WorkerVerticle(WorkerContext ctx, String workerId, Map<String, Integer> capacity, List<String> taskKinds,
                 int pollMs, int leaseMs, int heartbeatMs, int drainMs) {
    this.ctx = ctx;
    this.workerId = workerId;
    this.slots = new Slots(capacity);
    this.taskKinds = List.copyOf(taskKinds);
    this.pollMs = pollMs;
    this.leaseMs = leaseMs;
    this.heartbeatMs = heartbeatMs;
    this.drainMs = drainMs;
    this.leases = new LeaseKeeper(ctx, leaseMs);
    this.overlap = new OverlapGate(ctx);
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(pollMs, id -> poll());
    vertx.setPeriodic(heartbeatMs, id -> leases.beat(active));
    vertx.setPeriodic(100, id -> ctx.logs().flush());
    vertx.eventBus().localConsumer(SchedulerVerticle.wakeupAddress(), msg -> poll());
    vertx.eventBus().<String>consumer(RunEvents.CANCEL_ADDRESS, msg -> cancelLocal(UUID.fromString(msg.body())));
    return Future.succeededFuture();
  }

  /**
   * Graceful stop (SIGTERM): no new claims; running tasks get {@code drain_ms} to finish, then the rest are
   * stopped and handed back to PENDING for other workers, so a deploy never fails a run.
   */
  @Override
  public Future<?> stop() {
    draining = true;
    drained = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, drainMs), id -> {
      handingBack = true;
      List.copyOf(active.values()).forEach(e -> e.handBack(HAND_BACK_GRACE));
      // a task that ignores its stop is killed after the grace; recording the hand-back is quick
      vertx.setTimer(HAND_BACK_GRACE.toMillis() + 5_000, late -> drained.tryComplete());
    });
    checkDrained();
    return drained.future().compose(v -> {
      vertx.cancelTimer(timer);
      return ctx.logs().flush();
    });
  }

  /** Stopped once nothing runs and no claim is in flight (its runs would start after the snapshot). */
  private void checkDrained() {
    if (drained != null && active.isEmpty() && !polling && slots.noneReserved()) {
      drained.tryComplete();
    }
  }

  public int activeRuns() {
    return active.size();
  }

  private void poll() {
    if (draining || backoff.pausing()) {
      return;
    }
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = true;
    List<Future<?>> classes = new ArrayList<>();
    for (String resourceClass : slots.classes()) {
      classes.add(claimFor(resourceClass, nextPartition, 0));
    }
    nextPartition = (nextPartition + 1) % ctx.queue().partitions();
    // the kind asked first takes the free slots; taking turns keeps one kind's backlog from starving another
    nextKind = (nextKind + 1) % taskKinds.size();
    Future.join(classes).onComplete(ar -> {
      polling = false;
      if (ar.failed()) {
        backoff.failed(ar.cause());
      } else {
        backoff.succeeded();
      }
      if (pollAgain) {
        pollAgain = false;
        poll();
      }
      checkDrained();
    });
  }

  /**
   * Claims from partitions in turn until this class is full or every partition was tried. A batch's start
   * in Postgres is not awaited before the next queue is claimed from: the round trips overlap, and the
   * slots stay reserved until the runs are in {@code active}.
   */
  private Future<Void> claimFor(String resourceClass, int partition, int tried) {
    if (tried >= ctx.queue().partitions() || draining || slots.free(resourceClass, active.values()) <= 0) {
      return Future.succeededFuture();
    }
    return claimKinds(resourceClass, partition, 0)
        .compose(v -> claimFor(resourceClass, (partition + 1) % ctx.queue().partitions(), tried + 1));
  }

  /** Claims from the queues of one partition and class, one task kind after another, while slots are free. */
  private Future<Void> claimKinds(String resourceClass, int partition, int asked) {
    int free = slots.free(resourceClass, active.values());
    if (asked >= taskKinds.size() || free <= 0 || draining) {
      return Future.succeededFuture();
    }
    String kind = taskKinds.get((nextKind + asked) % taskKinds.size());
    slots.reserve(resourceClass, free);
    long leaseValidUntil = leases.validUntil(System.nanoTime());
    return ctx.queue().claim(partition, resourceClass, kind, free, leaseMs)
        .onFailure(err -> slots.unreserve(resourceClass, free))
        .compose(claims -> {
          slots.unreserve(resourceClass, free - claims.size());
          if (!claims.isEmpty()) {
            startClaimed(claims, leaseValidUntil).onComplete(ar -> {
              slots.unreserve(resourceClass, claims.size());
              if (ar.failed()) {
                // the claims' leases expire and the reaper hands them back
                backoff.failed(ar.cause());
              }
              poll();
              checkDrained();
            });
          }
          return claimKinds(resourceClass, partition, asked + 1);
        });
  }

  private Future<Void> startClaimed(List<Claim> claims, long leaseValidUntil) {
    return ctx.runs().start(claims, workerId).compose(started -> {
      Map<String, Long> versions = new HashMap<>();
      started.forEach(s -> {
        if (s.jobVersion() != null) {
          versions.put(s.run().jobId(), s.jobVersion());
        }
      });
      return ctx.jobs().definitions(versions).compose(jobs -> begin(claims, started, jobs, leaseValidUntil));
    });
  }

  /** Starts what was started in Postgres; a run whose job is gone ends CANCELLED, a stale claim is dropped. */
  private Future<Void> begin(List<Claim> claims, List<RunStore.StartedRun> started, Map<String, Job> jobs,
                             long leaseValidUntil) {
    Set<UUID> startedIds = new HashSet<>();
    List<Future<?>> pending = new ArrayList<>();
    for (RunStore.StartedRun s : started) {
      startedIds.add(s.run().id());
      Job job = jobs.get(s.run().jobId());
      if (job == null) {
        pending.add(ctx.recorder().record(new Outcome(s.run().id(), s.run().scheduledFor(), s.claim().token(),
            RunStatus.CANCELLED, null, null, "job deleted", FollowUp.NONE), s.claim()));
        continue;
      }
      pending.add(overlap.admit(s.run(), job, s.claim())
          .recover(err -> Future.succeededFuture(false)) // the lease lapses and the reaper settles the run
          .compose(admitted -> {
            if (!admitted) {
              return ctx.queue().release(s.claim()).mapEmpty();
            }
            execute(s, job, leaseValidUntil);
            return Future.succeededFuture();
          }));
    }
    // a claim that found its run no longer PENDING was a stale queue entry: drop its lease
    for (Claim c : claims) {
      if (!startedIds.contains(c.runId())) {
        pending.add(ctx.queue().release(c));
      }
    }
    return Future.join(pending).mapEmpty();
  }

  private void execute(RunStore.StartedRun s, Job job, long leaseValidUntil) {
    RunExecution execution = new RunExecution(vertx, s.run(), job, s.claim(), ctx, leaseValidUntil);
    active.put(s.run().id(), execution);
    execution.done().onComplete(ar -> {
      active.remove(s.run().id());
      poll();
      checkDrained();
    });
    execution.start();
    if (handingBack) {
      execution.handBack(HAND_BACK_GRACE);
    }
  }

  /** Stops a run if this worker runs it; a request for a run elsewhere is not ours. */
  private void cancelLocal(UUID runId) {
    RunExecution e = active.get(runId);
    if (e != null) {
      e.cancel();
    }
  }
}
