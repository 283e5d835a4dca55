package io.jobsched.settle;

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
 * The one way an attempt is settled, whoever decides its outcome (the worker that ran it, or the reaper
 * for a lost worker): record the result and its follow-ups in Postgres under the claim's token, queue the
 * follow-ups, release the claims' leases, announce the change. Results are batched: whatever ended within
 * a couple of milliseconds goes to Postgres in one statement, its follow-ups into Redis in one call per
 * queue, the leases are released in one call per partition. Under load thousands of runs end per second and
 * a round trip each would cap throughput; when idle a result waits at most {@link #LINGER_MS}. An instance
 * is used from one verticle's event loop only.
 */
public final class ResultRecorder {
  private static final Logger log = LoggerFactory.getLogger(ResultRecorder.class);
  private static final int MAX_BATCH = 1000;
  private static final long LINGER_MS = 2;

  private record Pending(Outcome outcome, Claim claim, Promise<Optional<Run>> recorded) {}

  private final Vertx vertx;
  private final RunResults results;
  private final RunQueue queue;
  private final RunEvents events;
  private final List<Pending> buffer = new ArrayList<>();
  private boolean flushScheduled;

  public ResultRecorder(Vertx vertx, RunResults results, RunQueue queue, RunEvents events) {
    this.vertx = vertx;
    this.results = results;
    this.queue = queue;
    this.events = events;
  }

  /**
   * Settles one attempt under its claim. Resolves to the recorded run, or empty when the claim was fenced
   * (nothing written: whoever holds the run now decides it). Either way the claim's lease is released (a
   * token-checked release, which leaves a newer claim's lease alone). Fails when Postgres did; nothing
   * was recorded then and the caller may try again.
   */
  public Future<Optional<Run>> record(Outcome outcome, Claim claim) {
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
      List<Claim> claims = batch.stream().map(Pending::claim).toList();
      // the follow-ups are in Postgres already and the results are recorded: if Redis fails here, the
      // reaper queues the follow-ups and clears the leases
      Future<?> followUps = recorded.followUps().isEmpty() ? Future.succeededFuture() : queue.enqueue(recorded.followUps());
      followUps.transform(x -> queue.releaseAll(claims))
          .onFailure(err -> log.warn("queueing follow-ups or releasing {} leases failed ({}); the reaper will clear them",
              claims.size(), err.getMessage()));
      recorded.runs().values().forEach(events::changed);
      batch.forEach(p -> p.recorded().complete(Optional.ofNullable(recorded.runs().get(p.outcome().runId()))));
    });
  }
}
