package io.jobsched.worker;

import io.jobsched.queue.Claim;
import io.jobsched.queue.RunQueue;
import io.jobsched.run.Run;
import io.jobsched.store.RunResults;
import io.jobsched.store.RunResults.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records a worker's results in batches: whatever ended within a couple of milliseconds goes to Postgres in
 * one statement, its follow-ups into Redis in one call per queue, and the leases are released in one call
 * per partition. Under load thousands of runs end per second and a round trip each would cap throughput;
 * when idle a result waits at most {@link #LINGER_MS}. Used from the worker verticle's event loop only.
 */
final class ResultRecorder {
  private static final Logger log = LoggerFactory.getLogger(ResultRecorder.class);
  private static final int MAX_BATCH = 1000;
  private static final long LINGER_MS = 2;

  private record Pending(Outcome outcome, Claim claim, Promise<Optional<Run>> recorded) {}

  private final Vertx vertx;
  private final RunResults results;
  private final RunQueue queue;
  private final List<Pending> buffer = new ArrayList<>();
  private boolean flushScheduled;

  ResultRecorder(Vertx vertx, RunResults results, RunQueue queue) {
    this.vertx = vertx;
    this.results = results;
    this.queue = queue;
  }

  /**
   * Records one result under its claim and releases the claim's lease. Resolves to the recorded run, or empty
   * when the claim was fenced (nothing written, lease left to its owner). Fails when Postgres did.
   */
  Future<Optional<Run>> record(Outcome outcome, Claim claim) {
    Promise<Optional<Run>> recorded = Promise.promise();
    buffer.add(new Pending(outcome, claim, recorded));
    if (buffer.size() >= MAX_BATCH) {
      flush();
    } else if (!flushScheduled) {
      flushScheduled = true;
      vertx.setTimer(LINGER_MS, id -> {
        flushScheduled = false;
        flush();
      });
    }
    return recorded.future();
  }

  private void flush() {
    if (buffer.isEmpty()) {
      return;
    }
    List<Pending> batch = List.copyOf(buffer);
    buffer.clear();
    results.recordAll(batch.stream().map(Pending::outcome).toList()).onComplete(ar -> {
      if (ar.failed()) {
        batch.forEach(p -> p.recorded().fail(ar.cause()));
        return;
      }
      RunResults.Recorded recorded = ar.result();
      List<Claim> released = new ArrayList<>();
      batch.forEach(p -> {
        if (recorded.runs().containsKey(p.outcome().runId())) {
          released.add(p.claim());
        }
      });
      // the follow-ups are in Postgres already and the results are recorded: if Redis fails here, the
      // reaper queues the follow-ups and clears the leases
      Future<?> followUps = recorded.followUps().isEmpty() ? Future.succeededFuture() : queue.enqueue(recorded.followUps());
      followUps.transform(x -> queue.releaseAll(released))
          .onFailure(err -> log.warn("queueing follow-ups or releasing {} leases failed ({}); the reaper will clear them",
              released.size(), err.getMessage()));
      batch.forEach(p -> p.recorded().complete(Optional.ofNullable(recorded.runs().get(p.outcome().runId()))));
    });
  }
}
