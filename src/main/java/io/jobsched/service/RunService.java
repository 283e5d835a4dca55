package io.jobsched.service;

import io.jobsched.logs.EsLogStore;
import io.jobsched.logs.LogLine;
import io.jobsched.run.Run;
import io.jobsched.run.RunStatus;
import io.jobsched.store.RunCursor;
import io.jobsched.store.RunStore;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/** Run history and run logs, shared by REST and the event bus. */
public final class RunService {
  /** A page of runs and the cursor of the next page (null on the last). */
  public record RunPage(List<Run> items, String nextCursor) {}

  private final RunStore runs;
  private final EsLogStore logs;
  private final Consumer<UUID> cancels;

  /** {@code cancels} tells the cluster to stop a running run (published to every worker). */
  public RunService(RunStore runs, EsLogStore logs, Consumer<UUID> cancels) {
    this.runs = runs;
    this.logs = logs;
    this.cancels = cancels;
  }

  public Future<Run> get(Caller caller, UUID id) {
    return runs.get(id).compose(found -> found.filter(r -> caller.sees(r.namespace())).map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("run " + id))));
  }

  /**
   * Cancels a PENDING or RUNNING run (whichever node holds or runs it is told: a PENDING run may already be
   * held for its instant, or running a quick task not yet written RUNNING); 409 if it already ended.
   */
  public Future<Run> cancel(Caller caller, UUID id) {
    return get(caller, id).compose(runs::requestCancel).compose(changed -> {
      if (changed.isEmpty()) {
        return Future.failedFuture(new ApiException(409, "conflict", "run " + id + " has already finished"));
      }
      Run run = changed.get();
      cancels.accept(run.id());
      return Future.succeededFuture(run);
    });
  }

  /**
   * {@code cursor} (null or empty: the first page) must be a {@code nextCursor} of an earlier page, else
   * 400 naming {@code cursor}; a caller that looks something up first checks it before with {@link #runCursor}.
   */
  public Future<RunPage> listForJob(String jobId, RunStatus status, Instant since, Instant until, String cursor,
                                    int limit) {
    RunCursor after;
    try {
      after = runCursor(cursor);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    // one extra row tells whether there is a next page without a second query
    return runs.listForJob(jobId, status, since, until, after, limit + 1).map(rows -> {
      boolean more = rows.size() > limit;
      List<Run> page = more ? rows.subList(0, limit) : rows;
      return new RunPage(page, more ? RunCursor.after(page.get(page.size() - 1)).encode() : null);
    });
  }

  /** A run-history cursor, or null for the first page; a junk one is a 400 naming {@code cursor}. */
  public static RunCursor runCursor(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      return RunCursor.decode(cursor);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("cursor", "not a cursor returned by this API");
    }
  }

  public Future<List<LogLine>> logs(Caller caller, UUID runId, String stream, long afterSeq, int limit) {
    return get(caller, runId).compose(run -> logs.linesOf(runId, stream, afterSeq, limit));
  }
}
