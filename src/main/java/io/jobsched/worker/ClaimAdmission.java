package io.jobsched.worker;

import io.jobsched.job.Job;
import io.jobsched.queue.Claimed;
import io.jobsched.run.FollowUp;
import io.jobsched.run.RunStatus;
import io.jobsched.store.RunResults.Outcome;
import io.jobsched.store.RunStore.ClaimedRun;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * From claims to held runs: reads the claimed runs and the job versions they were planned with, and hands each
 * to {@link Holder} with its lease and how long until its instant. A claim whose run is no longer PENDING was a
 * stale queue entry and is released; a run whose job is gone ends CANCELLED. Whatever is not held gives its slot
 * (and its room, for a sized run) back.
 */
final class ClaimAdmission implements SizedPoller.Admission {
  /** Holds one admitted run until its instant. */
  interface Holder {
    void hold(ClaimedRun claimed, Job job, long leaseValidUntilNanos, long delayMs);
  }

  private final WorkerContext ctx;
  private final Slots slots;
  private final Room room;
  private final LeaseKeeper leases;
  private final Holder holder;

  ClaimAdmission(WorkerContext ctx, Slots slots, Room room, LeaseKeeper leases, Holder holder) {
    this.ctx = ctx;
    this.slots = slots;
    this.room = room;
    this.leases = leases;
    this.holder = holder;
  }

  @Override
  public Future<Void> admit(List<Claimed> claims, String resourceClass, String kind, long claimSent,
                            long claimedAtNanos) {
    Map<UUID, Claimed> byRun = new HashMap<>();
    claims.forEach(c -> byRun.put(c.claim().runId(), c));
    return ctx.runs().claimed(claims.stream().map(Claimed::claim).toList())
        .onFailure(err -> {
          slots.give(resourceClass, kind, claims.size());
          claims.forEach(c -> room.release(c.claim().runId()));
        })
        .compose(found -> ctx.jobs().definitions(versions(found)).map(jobs -> {
          Set<UUID> admitted = new HashSet<>();
          long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - claimedAtNanos);
          for (ClaimedRun c : found) {
            admitted.add(c.run().id());
            Job job = jobs.get(c.run().jobId());
            if (job == null) {
              giveBack(resourceClass, kind, c.run().id());
              ctx.recorder().record(c.run(), new Outcome(c.run().id(), c.run().scheduledFor(), c.claim().token(),
                  RunStatus.CANCELLED, null, null, "job deleted", FollowUp.NONE), c.claim());
            } else {
              long dueInMs = byRun.get(c.run().id()).dueInMs();
              // the claim's lease runs from the run's instant: a held run needs no beat while it waits
              long leaseValidUntil = leases.validUntil(claimSent + TimeUnit.MILLISECONDS.toNanos(dueInMs));
              holder.hold(c, job, leaseValidUntil, dueInMs - elapsedMs);
            }
          }
          for (Claimed c : claims) {
            if (!admitted.contains(c.claim().runId())) {
              giveBack(resourceClass, kind, c.claim().runId());
              ctx.queue().release(c.claim());
            }
          }
          return null;
        }));
  }

  /** The job version each fire was planned with, by job (runs of one job in one claim share it). */
  private static Map<String, Long> versions(List<ClaimedRun> found) {
    Map<String, Long> versions = new HashMap<>();
    found.forEach(c -> {
      if (c.jobVersion() != null) {
        versions.put(c.run().jobId(), c.jobVersion());
      }
    });
    return versions;
  }

  private void giveBack(String resourceClass, String kind, UUID runId) {
    slots.give(resourceClass, kind, 1);
    room.release(runId);
  }
}
