package io.jobsched.worker;

import io.jobsched.job.Needs;
import io.jobsched.queue.Claimed;
import io.jobsched.queue.SizedClaims;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Claims sized runs (runs that reserve cpu, memory or GPUs) where they fit this worker's free {@link Room}: one
 * queue after another, one claim in flight at a time and never while unsized claims are (the two take turns),
 * each claim reserving all that is free and the class and kind slots before it is sent. Runs on its own timer (every {@code poll_ms}), on a scheduler's wake-up and
 * when a sized run ends, never on the unsized claim path, which it leaves exactly as it was.
 *
 * <p>Fairness: when a claim reports a run that fits this worker's totals but has waited {@code
 * reserve_after_ms} without fitting what is free ({@link SizedClaims#blocked}), this worker claims from that
 * run's queue only, and there nothing behind it, until a claim no longer reports it (it was claimed here or
 * elsewhere, or cancelled); the other queues are still looked at, claiming nothing, and an older such run
 * there takes its place. Its running sized runs end meanwhile, so the run waits at most reserve_after_ms
 * plus the longest remaining run time of those runs (bounded by their timeouts) plus a poll.
 */
final class SizedPoller {
  private static final Logger log = LoggerFactory.getLogger(SizedPoller.class);
  /** Claims per call and ready runs looked at per call: one Lua call stays short. */
  private static final int BATCH = 100;
  private static final int SCAN = 500;

  /** Reads and starts claimed runs (the worker's own admission), as for unsized claims. */
  interface Admission {
    Future<Void> admit(List<Claimed> claims, String resourceClass, String kind, long claimSent, long claimedAt);
  }

  private final WorkerContext ctx;
  private final Slots slots;
  private final Room room;
  private final List<String> taskKinds;
  private final int leaseMs;
  private final long reserveAfterMs;
  private final BooleanSupplier mayClaim;
  private final BooleanSupplier unsizedPolling;
  private final Runnable afterCall;
  private final Admission admission;
  /** The queue the current round claims from next (classes x partitions x kinds); -1: no round. */
  private int round = -1;
  private boolean calling;
  private boolean parked;
  private boolean again;
  /** The queue ("partition:class:kind") of the run this worker waits for, null when it waits for none. */
  private String reservedQueue;
  private UUID reservedFor;
  private long reservedDueMs;

  /**
   * {@code unsizedPolling}: the unsized claims are in flight (they hold every free slot meanwhile, so a sized
   * claim waits its turn: {@link #resume} when they are done); {@code afterCall}: lets a deferred unsized poll
   * go between two sized claims, so neither path starves the other.
   */
  SizedPoller(WorkerContext ctx, Slots slots, Room room, List<String> taskKinds, int leaseMs, long reserveAfterMs,
              BooleanSupplier mayClaim, BooleanSupplier unsizedPolling, Runnable afterCall, Admission admission) {
    this.ctx = ctx;
    this.slots = slots;
    this.room = room;
    this.taskKinds = taskKinds;
    this.leaseMs = leaseMs;
    this.reserveAfterMs = reserveAfterMs;
    this.mayClaim = mayClaim;
    this.unsizedPolling = unsizedPolling;
    this.afterCall = afterCall;
    this.admission = admission;
  }

  /** A sized claim is in flight (it holds slots and room until it answers). */
  boolean calling() {
    return calling;
  }

  /** The run this worker keeps its room for (fairness), null when none. */
  UUID reservedFor() {
    return reservedFor;
  }

  /** Starts a round over every queue, or asks for another one after the current round. */
  void poll() {
    if (!mayClaim.getAsBoolean() || room.totals().reservesNothing()) {
      return;
    }
    if (round >= 0) {
      again = true;
      return;
    }
    round = 0;
    step();
  }

  /** Continues a round parked while unsized claims were in flight. */
  void resume() {
    if (parked) {
      parked = false;
      step();
    }
  }

  private void step() {
    int partitions = ctx.queue().partitions();
    List<String> classes = List.copyOf(slots.classes());
    int perClass = partitions * taskKinds.size();
    if (!mayClaim.getAsBoolean() || round >= classes.size() * perClass) {
      round = -1;
      if (again) {
        again = false;
        poll();
      }
      return;
    }
    if (unsizedPolling.getAsBoolean()) {
      parked = true;
      return;
    }
    String resourceClass = classes.get(round / perClass);
    int partition = round / taskKinds.size() % partitions;
    String kind = taskKinds.get(round % taskKinds.size());
    Future<Void> call;
    if (round % taskKinds.size() == 0) {
      // first kind of a partition: skip the partition's kinds at once when it queues no sized run
      round++;
      call = ctx.queue().hasSized(partition).compose(any -> {
        if (!any) {
          round += taskKinds.size() - 1;
          return Future.succeededFuture();
        }
        return claimOne(partition, resourceClass, kind);
      });
    } else {
      round++;
      call = claimOne(partition, resourceClass, kind);
    }
    if (call.isComplete() && call.succeeded()) {
      step(); // nothing was sent: no reason to yield
      return;
    }
    calling = true;
    // a call Redis never answers (a connection lost mid-request) must not hold every later claim: unsized
    // ones wait while a sized call is in flight. The call's own bookkeeping still runs whenever it ends.
    call.timeout(WorkerVerticle.STUCK_CALL_MS, TimeUnit.MILLISECONDS).onComplete(ar -> {
      calling = false;
      if (ar.failed()) {
        // the next tick tries again: a Redis outage costs one failed call per poll_ms, never a hot loop
        log.debug("sized claim failed: {}", ar.cause().toString());
        round = classes.size() * perClass;
      }
      afterCall.run();
      step();
    });
  }

  /**
   * One sized claim from one queue. While the worker keeps its room for a run of another queue, the call claims
   * nothing and only looks for a run that has waited longer still (the oldest such run is the one kept for).
   */
  private Future<Void> claimOne(int partition, String resourceClass, String kind) {
    String queue = partition + ":" + resourceClass + ":" + kind;
    boolean lookOnly = reservedQueue != null && !reservedQueue.equals(queue);
    int max = lookOnly ? 0 : Math.min(BATCH, slots.free(resourceClass, kind));
    // called with nothing free too: that call is how a run that waited too long is noticed and reserved for
    if (!lookOnly && max <= 0) {
      return Future.succeededFuture();
    }
    slots.take(resourceClass, kind, max);
    Needs reserved = lookOnly ? Needs.NONE : room.reserveFree();
    long sent = System.nanoTime();
    return ctx.queue().claimSized(partition, resourceClass, kind, max, leaseMs, reserved, room.totals(),
            reserveAfterMs, SCAN)
        .onFailure(err -> {
          slots.give(resourceClass, kind, max);
          room.settle(reserved, Map.of());
        })
        .map(result -> {
          Map<UUID, Needs> held = new HashMap<>();
          result.claims().forEach(c -> held.put(c.claim().runId(), c.needs()));
          room.settle(reserved, held);
          slots.give(resourceClass, kind, max - held.size());
          keepRoomFor(queue, result);
          if (!result.claims().isEmpty()) {
            List<Claimed> claims = result.claims().stream().map(c -> new Claimed(c.claim(), 0)).toList();
            admission.admit(claims, resourceClass, kind, sent, System.nanoTime())
                .onFailure(err -> log.warn("claimed sized runs not started: {}", err.toString()));
          }
          return null;
        });
  }

  /** The reserved queue's own answer replaces its run (or ends the wait); another queue's wins if older. */
  private void keepRoomFor(String queue, SizedClaims result) {
    if (queue.equals(reservedQueue) || (result.blocked() != null
        && (reservedFor == null || result.blockedDueMs() < reservedDueMs))) {
      reservedFor = result.blocked();
      reservedDueMs = result.blockedDueMs();
      reservedQueue = reservedFor == null ? null : queue;
    }
  }
}
