package io.jobsched.history;

import io.jobsched.run.Run;
import io.jobsched.run.RunIds;
import io.jobsched.run.RunStatus;
import io.jobsched.store.RunCursor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Run lookups in the cold tier for the API: which months are cold from Postgres, the runs from their files. */
public final class ColdRuns {
  private final Vertx vertx;
  private final RunArchives archives;
  private final ColdStore store;

  public ColdRuns(Vertx vertx, RunArchives archives, ColdStore store) {
    this.vertx = vertx;
    this.archives = archives;
    this.store = store;
  }

  /** A run by id, if the month its id names is cold and holds it. */
  public Future<Optional<Run>> byId(UUID id) {
    YearMonth month = HistoryTiers.monthOf(RunIds.scheduledMillis(id));
    return archives.month(month).compose(found -> found.isEmpty() ? Future.succeededFuture(Optional.<Run>empty())
        : vertx.executeBlocking(() -> store.byId(month, found.get().files(), id).map(ColdColumns::toRun)));
  }

  /** Where cold history ends: runs scheduled before this instant may be cold (empty: nothing is). */
  public Future<Optional<Instant>> coldUntil() {
    return archives.newest().map(m -> m.map(month -> HistoryTiers.end(month)));
  }

  /** A page of a job's cold runs in history order (see {@link ColdStore#jobPage}). */
  public Future<List<Run>> jobPage(String jobId, RunStatus status, Instant since, Instant until, RunCursor after,
                                   int limit) {
    YearMonth from = since == null ? null : HistoryTiers.monthOf(since);
    YearMonth to = until == null ? null : HistoryTiers.monthOf(until);
    return archives.overlapping(from, to).compose(months -> months.isEmpty() ? Future.succeededFuture(List.<Run>of())
        : vertx.executeBlocking(() -> store.jobPage(months, jobId, status == null ? null : status.name(), since, until,
            after, limit).stream().map(ColdColumns::toRun).toList()));
  }
}
