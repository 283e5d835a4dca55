package io.jobsched.worker;

import io.jobsched.queue.Claim;
import io.jobsched.queue.LeaseState;
import io.jobsched.run.Run;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A worker's heartbeat: extends the leases of its running runs, partition by partition, and stops the runs
 * it learns it lost. A lease Redis dropped (FLUSHALL, restart without persistence) is put back when this
 * worker knows it cannot have expired: counted from when the last successful heartbeat was sent, which is
 * no later than when Redis extended it. Also picks up cancels recorded while a cancel message was missed.
 */
final class LeaseKeeper {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  private final WorkerContext ctx;
  private final int leaseMs;

  LeaseKeeper(WorkerContext ctx, int leaseMs) {
    this.ctx = ctx;
    this.leaseMs = leaseMs;
  }

  /** When a lease obtained or extended by a call sent at {@code sentAtNanos} expires at the latest. */
  long validUntil(long sentAtNanos) {
    return sentAtNanos + TimeUnit.MILLISECONDS.toNanos(leaseMs);
  }

  /**
   * Beats the leases that need it: those of started runs, and of held runs whose lease (which covers the wait
   * until their instant) would lapse before a later beat. A run whose task ended keeps its lease while its
   * result waits for Postgres (an outage, a failover), beaten like a held run: let it lapse and the reaper
   * would run the work again although it was done. Such a lease is only extended, never put back: once the
   * result is recorded the lease is released, and a beat crossing that release must not restore it. The
   * recorded-cancel check covers started runs; a held run is dropped by the cancel message, and its result
   * would be refused anyway.
   */
  void beat(Map<UUID, RunExecution> active, long heartbeatMs) {
    long now = System.nanoTime();
    long soon = now + TimeUnit.MILLISECONDS.toNanos(2 * heartbeatMs);
    List<Run> started = new ArrayList<>();
    Map<Integer, List<RunExecution>> byPartition = new HashMap<>();
    for (RunExecution e : active.values()) {
      if (e.ended()) {
        // only near its end: a spike ends tasks far faster than Postgres records them, and beating every
        // waiting result each time cost the recording more than the lease is worth until then
        if (e.recording() && !e.leaseValidAt(soon)) {
          byPartition.computeIfAbsent(e.claim().partition(), p -> new ArrayList<>()).add(e);
        }
        continue;
      }
      if (e.started()) {
        started.add(e.run());
      }
      if (e.started() || !e.leaseValidAt(soon)) {
        byPartition.computeIfAbsent(e.claim().partition(), p -> new ArrayList<>()).add(e);
      }
    }
    if (!started.isEmpty()) {
      ctx.runs().cancelRequested(started).onSuccess(ids -> ids.forEach(id -> {
        RunExecution e = active.get(id);
        if (e != null) {
          e.cancel();
        }
      }));
    }
    byPartition.forEach(this::beat);
  }

  /**
   * Starts a held run whose instant has come, unless its lease may have lapsed: a worker that comes to the
   * instant late (a GC pause, SIGSTOP, an overloaded machine) could otherwise start a run the reaper already
   * handed to another worker. With less than {@code marginNanos} left by its own count, the lease is first
   * extended in Redis (never restored): the run starts if it still was this worker's, else it is given up.
   */
  void begin(RunExecution e, long marginNanos) {
    if (e.leaseValidAt(System.nanoTime() + marginNanos)) {
      e.begin();
      return;
    }
    long sentAt = System.nanoTime();
    ctx.queue().heartbeat(e.claim().partition(), List.of(e.claim()), c -> false, leaseMs).onComplete(ar -> {
      if (ar.succeeded() && ar.result().get(0) == LeaseState.EXTENDED) {
        e.leaseRenewed(validUntil(sentAt));
        e.begin();
      } else {
        e.lapsedBeforeStart();
      }
    });
  }

  /** Only a running or held run's lease may be put back; an ended run's was perhaps released by its result. */
  private static boolean mayRestore(RunExecution e, long sentAt) {
    return !e.ended() && e.leaseValidAt(sentAt);
  }

  private void beat(int partition, List<RunExecution> executions) {
    long sentAt = System.nanoTime();
    List<Claim> claims = executions.stream().map(RunExecution::claim).toList();
    Map<UUID, RunExecution> byRun = new HashMap<>();
    executions.forEach(e -> byRun.put(e.claim().runId(), e));
    ctx.queue().heartbeat(partition, claims, c -> mayRestore(byRun.get(c.runId()), sentAt), leaseMs)
        .onSuccess(states -> {
          for (int i = 0; i < states.size(); i++) {
            RunExecution e = executions.get(i);
            switch (states.get(i)) {
              case EXTENDED -> e.leaseRenewed(validUntil(sentAt));
              case RESTORED -> {
                // "may restore" was judged when the call was made, but it ran when Redis got it: after a pause
                // (GC, SIGSTOP, a slow new connection) that can be long after the lease expired and the reaper
                // settled the run and released it. Only an answer that came back while the lease could not
                // yet have expired proves Redis lost it; otherwise the run may belong to someone else now.
                if (e.leaseValidAt(System.nanoTime())) {
                  log.warn("run {}: Redis had lost its lease; restored under token {}", e.claim().runId(), e.claim().token());
                  e.leaseRenewed(validUntil(sentAt));
                } else {
                  log.warn("run {}: heartbeat restored its lease only after it could have expired; giving the run up",
                      e.claim().runId());
                  e.leaseLost();
                }
              }
              // an ended run's result is being recorded under its token, which Postgres judges
              case LOST -> e.leaseLost();
            }
          }
        })
        .onFailure(err -> log.warn("heartbeat of partition {} failed: {}", partition, err.getMessage()));
  }
}
