package io.jobsched.metrics;

import io.jobsched.run.Placement;
import io.jobsched.store.RunStore;
import io.jobsched.worker.WorkerRegistry;
import io.vertx.core.Future;

import java.time.InstantSource;

/**
 * Counts due PENDING runs no live worker could ever run (see {@link Placement}): the
 * {@code jobsched_runs_unplaceable} gauge, so a run stuck for want of a big enough worker shows on a dashboard
 * and can be alerted on, not only in its own {@code waiting_for}.
 */
public final class UnplaceableRuns {
  private final RunStore runs;
  private final WorkerRegistry workers;
  private final InstantSource clock;

  public UnplaceableRuns(RunStore runs, WorkerRegistry workers, InstantSource clock) {
    this.runs = runs;
    this.workers = workers;
    this.clock = clock;
  }

  public Future<Long> count() {
    return workers.offers(clock.instant()).compose(live -> runs.pendingShapes().map(shapes -> shapes.stream()
        .filter(s -> Placement.waitingFor(s.resourceClass(), s.taskKind(), s.needs(), live) != null)
        .mapToLong(RunStore.PendingShape::count).sum()));
  }
}
