package io.jobsched.settle;

import io.jobsched.metrics.JobschedMetrics;
import io.jobsched.queue.Claim;
import io.jobsched.queue.RunQueue;
import io.jobsched.run.Run;
import io.jobsched.store.RunResults;
import io.jobsched.store.RunResults.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * The one way an attempt is settled, whoever decides its outcome (the worker that ran it, or the reaper
 * for a lost worker): record the result and its follow-ups in Postgres under the claim's token, queue the
 * follow-ups, release the claims' leases, announce the change. Results are group-committed ({@link Batcher}):
 * thousands of runs end per second and a statement each would cap throughput; follow-ups go to Redis in one
 * call per queue and leases are released in one call per partition. An instance is used from one
 * verticle's event loop only.
 */
public final class ResultRecorder {
  private static final Logger log = LoggerFactory.getLogger(ResultRecorder.class);
  private static final int MAX_BATCH = 1000;
  private static final long LINGER_MS = 2;
  private static final int MAX_IN_FLIGHT = 2;

  private record Settling(Run read, Outcome outcome, Claim claim) {}

  private final RunResults results;
  private final RunQueue queue;
  private final RunEvents events;
  private final JobschedMetrics metrics;
  private final Batcher<Settling, Optional<Run>> batcher;

  public ResultRecorder(Vertx vertx, RunResults results, RunQueue queue, RunEvents events, JobschedMetrics metrics) {
    this.results = results;
    this.queue = queue;
    this.events = events;
    this.metrics = metrics;
    this.batcher = new Batcher<>(vertx, MAX_BATCH, LINGER_MS, MAX_IN_FLIGHT, this::settle);
  }

  /**
   * Settles one attempt of {@code read} (the run as its settler read it) under its claim. Resolves to the recorded run, or empty when the claim was fenced
   * (nothing written: whoever holds the run now decides it). Either way the claim's lease is released (a
   * token-checked release, which leaves a newer claim's lease alone). Fails when Postgres did; nothing
   * was recorded then and the caller may try again.
   */
  public Future<Optional<Run>> record(Run read, Outcome outcome, Claim claim) {
    return batcher.add(new Settling(read, outcome, claim));
  }

  private Future<List<Optional<Run>>> settle(List<Settling> batch) {
    return results.recordAll(batch.stream().map(Settling::outcome).toList()).map(recorded -> {
      List<Claim> claims = batch.stream().map(Settling::claim).toList();
      // the follow-ups are in Postgres already and the results are recorded: if Redis fails here, the
      // reaper queues the follow-ups and clears the leases
      Future<?> followUps = recorded.followUps().isEmpty() ? Future.succeededFuture() : queue.enqueue(recorded.followUps());
      followUps.transform(x -> queue.releaseAll(claims))
          .onFailure(err -> log.warn("queueing follow-ups or releasing {} leases failed ({}); the reaper will clear them",
              claims.size(), err.getMessage()));
      return batch.stream().map(s -> {
        Optional<Run> run = Optional.ofNullable(recorded.runs().get(s.outcome().runId()))
            .map(settled -> settled.applyTo(s.read(), s.outcome()));
        run.ifPresent(r -> {
          events.changed(r);
          metrics.runFinished(s.outcome().status().name());
        });
        return run;
      }).toList();
    });
  }
}
