package io.jobsched.worker;

import io.jobsched.run.Run;
import io.jobsched.settle.Batcher;
import io.jobsched.store.RunningRunStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Writes runs RUNNING, group-committed ({@link Batcher}). Used from the worker verticle's event loop only. */
final class RunningMarks {
  private static final int MAX_BATCH = 1000;
  private static final long LINGER_MS = 2;
  private static final int MAX_IN_FLIGHT = 2;

  private final Batcher<RunningRunStore.Start, Optional<Run>> batcher;

  RunningMarks(Vertx vertx, RunningRunStore running, String worker) {
    this.batcher = new Batcher<>(vertx, MAX_BATCH, LINGER_MS, MAX_IN_FLIGHT, starts ->
        running.markRunning(starts, worker).map(marked -> {
          Map<UUID, Run> byId = new HashMap<>();
          marked.forEach(r -> byId.put(r.id(), r));
          return starts.stream().map(s -> Optional.ofNullable(byId.get(s.run().id()))).toList();
        }));
  }

  /** Resolves to the run as written RUNNING, or empty when the claim was fenced. Fails when Postgres did. */
  Future<Optional<Run>> mark(Run run, long token, long startedNanos) {
    return batcher.add(new RunningRunStore.Start(run, token, startedNanos));
  }
}
