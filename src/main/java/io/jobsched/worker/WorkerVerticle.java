package io.jobsched.worker;

import io.jobsched.job.Job;
import io.jobsched.scheduler.SchedulerVerticle;
import io.jobsched.settle.RunEvents;
import io.jobsched.store.RunStore.ClaimedRun;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Claims runs of the resource classes and task kinds it serves, never more than it has room for, and runs
 * them. Claims reach ahead: runs due within {@code preclaim_ms} (further while the local scheduler promotes
 * a spike early, {@link Reach}) are claimed, read and held on local timers, so a spike's Redis and Postgres
 * work is done before its instant and each task starts at its instant. Polls
 * every {@code poll_ms}, and at once when a scheduler announces new runs. A kind it does not serve
 * ({@code worker.task_kinds}) waits in a queue of its own that this worker never claims from.
 */
public final class WorkerVerticle extends VerticleBase {
  /** The most of a task's own grace a shutdown waits for; the process stops soon after drain_ms. */
  private static final Duration HAND_BACK_GRACE = Duration.ofSeconds(5);
  /** Runs per claim call: one Lua call stays short, however much room there is. */
  private static final int CLAIM_BATCH = 1000;

  private final WorkerContext ctx;
  private final Slots slots;
  private final Room room;
  private final SizedPoller sized;
  private final List<String> taskKinds;
  private final WorkerTiming timing;
  private final LeaseKeeper leases;
  private final ClaimAdmission admission;
  /** A held run reached with less lease than this left is confirmed with Redis before it starts. */
  private final long startMarginNanos;
  private final OverlapGate overlap;
  private final Reach reach;
  private Instants instants;
  private final Map<UUID, RunExecution> active = new HashMap<>();
  private final Backoff backoff = new Backoff();
  private boolean polling;
  /** After this long a claim call counts as lost, so the next poll may go (its slots stay taken until it ends). */
  static final long STUCK_CALL_MS = 10_000;
  private boolean pollAgain;
  private boolean draining;
  private boolean handingBack;
  private Promise<Void> drained;
  private int nextPartition;
  private int nextKind;

  WorkerVerticle(WorkerContext ctx, Slots slots, Room room, List<String> taskKinds, WorkerTiming timing) {
    this.ctx = ctx;
    this.slots = slots;
    this.room = room;
    this.leases = new LeaseKeeper(ctx, timing.leaseMs());
    this.admission = new ClaimAdmission(ctx, slots, room, leases, this::hold);
    this.sized = new SizedPoller(ctx, slots, room, taskKinds, timing.leaseMs(), timing.reserveAfterMs(),
        () -> !draining && !backoff.pausing(), () -> polling, this::pollDeferred, admission);
    this.taskKinds = List.copyOf(taskKinds);
    this.timing = timing;
    // a lease that could lapse before the next heartbeat
    this.startMarginNanos = TimeUnit.MILLISECONDS.toNanos(timing.heartbeatMs());
    this.overlap = new OverlapGate(ctx);
    this.reach = new Reach(timing.preclaimMs());
  }

  @Override
  public Future<?> start() {
    instants = new Instants(vertx);
    vertx.setPeriodic(timing.pollMs(), id -> {
      poll();
      sized.poll();
    });
    vertx.setPeriodic(timing.heartbeatMs(), id -> leases.beat(active, timing.heartbeatMs()));
    // its own timer: the registry is for people and dashboards, and never stands in a lease's way
    vertx.setPeriodic(timing.heartbeatMs(), id -> announce());
    announce();
    vertx.setPeriodic(100, id -> ctx.logs().flushOrCheck());
    vertx.eventBus().<Long>localConsumer(SchedulerVerticle.wakeupAddress(), msg -> {
      reach.announced(msg.body(), System.nanoTime());
      poll();
      sized.poll();
    });
    vertx.eventBus().<String>consumer(RunEvents.CANCEL_ADDRESS, msg -> cancelLocal(UUID.fromString(msg.body())));
    vertx.eventBus().<String>consumer(RunEvents.JOB_CHANGED_ADDRESS, msg -> jobChanged(msg.body()));
    return Future.succeededFuture();
  }

  /**
   * Graceful stop (SIGTERM): no new claims; held runs go back at once; running tasks get {@code drain_ms} to
   * finish, then the rest are stopped and handed back to PENDING for other workers, so a deploy never fails
   * a run.
   */
  @Override
  public Future<?> stop() {
    draining = true;
    drained = Promise.promise();
    List.copyOf(active.values()).forEach(e -> e.putBackIfHeld("worker stopping"));
    long timer = vertx.setTimer(Math.max(1, timing.drainMs()), id -> {
      handingBack = true;
      List.copyOf(active.values()).forEach(e -> e.handBack(HAND_BACK_GRACE));
      // a task that ignores its stop is killed after the grace; recording the hand-back is quick
      vertx.setTimer(HAND_BACK_GRACE.toMillis() + 5_000, late -> drained.tryComplete());
    });
    checkDrained();
    return drained.future().compose(v -> {
      vertx.cancelTimer(timer);
      return ctx.logs().flush();
    }).compose(v -> ctx.registry().remove(ctx.workerId()).recover(err -> Future.succeededFuture()));
  }

  /** Tells {@code GET /api/v1/workers} this worker lives, for one lease; a lost announcement is made again next beat. */
  private void announce() {
    if (draining) {
      return;
    }
    List<io.jobsched.run.Run> occupying = new ArrayList<>();
    active.values().forEach(e -> {
      if (!e.ended()) {
        occupying.add(e.run());
      }
    });
    ctx.registry().announce(ctx.workerId(), WorkerStatus.of(ctx.workerId(), taskKinds, slots, room, sized.reservedFor(), occupying,
        ctx.clock().instant(), Duration.ofMillis(timing.leaseMs())));
  }

  /** Stopped once nothing runs and no claim is in flight (its runs would start after the snapshot). */
  private void checkDrained() {
    if (drained != null && active.isEmpty() && !polling && !sized.calling() && slots.noneTaken()) {
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
    if (polling || sized.calling()) {
      pollAgain = true;
      return;
    }
    polling = true;
    List<Future<?>> classes = new ArrayList<>();
    for (String resourceClass : slots.classes()) {
      classes.add(claimFor(resourceClass, nextPartition, 0));
    }
    // bounded for the reason SizedPoller bounds its calls: a claim Redis never answers would stop this worker
    Future.join(classes).timeout(STUCK_CALL_MS, TimeUnit.MILLISECONDS).onComplete(ar -> {
      polling = false;
      if (ar.failed()) {
        backoff.failed(ar.cause());
      } else {
        backoff.succeeded();
      }
      // a sized round waiting for these claims goes first, then any poll asked for meanwhile
      sized.resume();
      pollDeferred();
      checkDrained();
    });
  }

  /** Runs a poll asked for while claims were in flight, once none is. */
  private void pollDeferred() {
    if (pollAgain && !polling && !sized.calling()) {
      pollAgain = false;
      poll();
    }
  }

  /**
   * Claims from partitions in turn until this class is full or every partition was tried. Reading the claimed
   * runs is not awaited before the next queue is claimed from: the round trips overlap, and the slots stay
   * taken meanwhile.
   */
  private Future<Void> claimFor(String resourceClass, int partition, int tried) {
    if (tried >= ctx.queue().partitions() || draining || slots.freeInClass(resourceClass) <= 0) {
      return Future.succeededFuture();
    }
    return claimKinds(resourceClass, partition, nextKind, 0)
        .compose(v -> claimFor(resourceClass, (partition + 1) % ctx.queue().partitions(), tried + 1));
  }

  /** Claims from the queues of one partition and class, one task kind after another, while there is room. */
  private Future<Void> claimKinds(String resourceClass, int partition, int firstKind, int asked) {
    if (asked >= taskKinds.size() || draining) {
      return Future.succeededFuture();
    }
    int kindIndex = (firstKind + asked) % taskKinds.size();
    String kind = taskKinds.get(kindIndex);
    int room = Math.min(CLAIM_BATCH, slots.free(resourceClass, kind));
    if (room <= 0) {
      return claimKinds(resourceClass, partition, firstKind, asked + 1);
    }
    slots.take(resourceClass, kind, room);
    long claimSent = System.nanoTime();
    // the next claim starts at the next queue: partitions and kinds take turns claim by claim (turns taken
    // per poll would skip queues in step with the timer), so a due run waits at most one round of claims
    nextPartition = (partition + 1) % ctx.queue().partitions();
    nextKind = (kindIndex + 1) % taskKinds.size();
    return ctx.queue().claim(partition, resourceClass, kind, room, timing.leaseMs(), reach.ms(System.nanoTime()))
        .onFailure(err -> slots.give(resourceClass, kind, room))
        .compose(claims -> {
          slots.give(resourceClass, kind, room - claims.size());
          if (!claims.isEmpty()) {
            admission.admit(claims, resourceClass, kind, claimSent, System.nanoTime()).onComplete(ar -> {
              if (ar.failed()) {
                // the claims' leases expire and the reaper hands them back
                backoff.failed(ar.cause());
              }
              if (claims.size() == room) {
                poll(); // the queue may hold more
              }
              checkDrained();
            });
          }
          return claimKinds(resourceClass, partition, firstKind, asked + 1);
        });
  }

  private void hold(ClaimedRun c, Job job, long leaseValidUntil, long delayMs) {
    UUID id = c.run().id();
    RunExecution execution = new RunExecution(vertx, c.run(), job, c.claim(), ctx, overlap, leaseValidUntil, () -> {
      slots.give(c.run().resourceClass(), c.run().taskKind(), 1);
      poll();
      if (!c.run().needs().reservesNothing()) {
        room.release(id);
        sized.poll();
      }
    });
    active.put(id, execution);
    execution.done().onComplete(ar -> {
      active.remove(id);
      checkDrained();
    });
    instants.in(delayMs, () -> leases.begin(execution, startMarginNanos));
    if (handingBack) {
      execution.handBack(HAND_BACK_GRACE);
    }
  }

  /** Stops a run if this worker holds or runs it; a request for a run elsewhere is not ours. */
  private void cancelLocal(UUID runId) {
    RunExecution e = active.get(runId);
    if (e != null) {
      e.cancel();
    }
  }

  /**
   * A job's definition changed (or the job is gone): its runs held for a later instant go back to the queue
   * and are read again when claimed. Runs already started keep the definition they started with.
   */
  private void jobChanged(String jobId) {
    List.copyOf(active.values()).stream().filter(e -> e.run().jobId().equals(jobId))
        .forEach(e -> e.putBackIfHeld("its job changed"));
  }

  /** The timing settings of a worker (see {@code conf/jobsched.json}). */
  record WorkerTiming(int pollMs, int leaseMs, int heartbeatMs, int drainMs, long preclaimMs, long reserveAfterMs) {}
}
