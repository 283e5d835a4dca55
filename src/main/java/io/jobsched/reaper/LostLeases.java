package io.jobsched.reaper;

import io.jobsched.queue.Claim;
import io.jobsched.queue.RunQueue;
import io.jobsched.store.RunningRunStore;
import io.jobsched.store.RunningRunStore.Held;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * RUNNING runs whose lease Redis no longer holds (FLUSHALL, a restart without persistence, a failover that
 * lost writes) would never be settled: no lease, nothing expires. Each sweep pages through the RUNNING runs
 * and gives such a run its lease back under the token Postgres has, for one lease period. A live worker's
 * heartbeat then keeps it; a dead worker's lease expires and the run is settled like any other.
 */
final class LostLeases {
  private static final Logger log = LoggerFactory.getLogger(LostLeases.class);
  /** Runs that started more recently than this are left to their worker's first heartbeat. */
  private static final Duration SETTLE = Duration.ofSeconds(2);

  private final RunningRunStore running;
  private final RunQueue queue;
  private final int leaseMs;
  private final int pageSize;
  private Held cursor;

  LostLeases(RunningRunStore running, RunQueue queue, int leaseMs, int pageSize) {
    this.running = running;
    this.queue = queue;
    this.leaseMs = leaseMs;
    this.pageSize = pageSize;
  }

  /** Checks the next page of RUNNING runs; resolves to the number of leases restored. */
  Future<Integer> restoreNextPage() {
    return running.startedBefore(SETTLE, cursor, pageSize).compose(page -> {
      cursor = page.size() < pageSize ? null : page.get(page.size() - 1);
      List<Claim> claims = page.stream()
          .map(h -> new Claim(h.runId(), h.token(), queue.partitionOf(h.jobId()))).toList();
      return queue.restoreAll(claims, leaseMs);
    }).map(restored -> {
      restored.forEach(id -> log.warn("run {} is RUNNING but Redis had no lease for it; lease restored", id));
      return restored.size();
    });
  }
}
