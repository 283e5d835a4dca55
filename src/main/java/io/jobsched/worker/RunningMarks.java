package io.jobsched.worker;

import io.jobsched.run.Run;
import io.jobsched.store.RunningRunStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes runs RUNNING in batches: whatever asked within a couple of milliseconds goes to Postgres in one
 * statement. Used from the worker verticle's event loop only.
 */
final class RunningMarks {
  private static final int MAX_BATCH = 1000;
  private static final long LINGER_MS = 2;

  private record Pending(RunningRunStore.Start start, Promise<Optional<Run>> marked) {}

  private final Vertx vertx;
  private final RunningRunStore running;
  private final String worker;
  private final List<Pending> buffer = new ArrayList<>();
  private boolean flushScheduled;

  RunningMarks(Vertx vertx, RunningRunStore running, String worker) {
    this.vertx = vertx;
    this.running = running;
    this.worker = worker;
  }

  /** Resolves to the run as written RUNNING, or empty when the claim was fenced. Fails when Postgres did. */
  Future<Optional<Run>> mark(Run run, long token, long startedNanos) {
    Promise<Optional<Run>> marked = Promise.promise();
    buffer.add(new Pending(new RunningRunStore.Start(run, token, startedNanos), marked));
    if (buffer.size() >= MAX_BATCH) {
      flush();
    } else if (!flushScheduled) {
      flushScheduled = true;
      vertx.setTimer(LINGER_MS, id -> {
        flushScheduled = false;
        flush();
      });
    }
    return marked.future();
  }

  private void flush() {
    if (buffer.isEmpty()) {
      return;
    }
    List<Pending> batch = List.copyOf(buffer);
    buffer.clear();
    running.markRunning(batch.stream().map(Pending::start).toList(), worker).onComplete(ar -> {
      if (ar.failed()) {
        batch.forEach(p -> p.marked().fail(ar.cause()));
        return;
      }
      Map<UUID, Run> marked = new HashMap<>();
      ar.result().forEach(r -> marked.put(r.id(), r));
      batch.forEach(p -> p.marked().complete(Optional.ofNullable(marked.get(p.start().run().id()))));
    });
  }
}
