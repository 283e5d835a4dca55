package io.jobsched.service;

import io.jobsched.job.Job;
import io.jobsched.job.OverlapPolicy;
import io.jobsched.queue.RunQueue;
import io.jobsched.run.Run;
import io.jobsched.run.RunIds;
import io.jobsched.run.RunStatus;
import io.jobsched.run.Trigger;
import io.jobsched.store.JobStore;
import io.jobsched.store.NewRun;
import io.jobsched.store.RunStore;
import io.vertx.core.Future;

import java.util.List;

/**
 * "Run it now": a run with trigger {@code manual}, scheduled at the database's now. Under overlap
 * {@code forbid} a trigger while a run is active is recorded as SKIPPED (reason overlap) unless forced,
 * so the request is never silently dropped; under {@code replace} the active run is cancelled.
 */
public final class ManualTrigger {
  private final JobStore jobs;
  private final RunStore runs;
  private final RunQueue queue;
  private final RunIds ids;
  private final java.util.function.Consumer<java.util.UUID> cancels;

  /** {@code cancels} tells the cluster to stop a running run (overlap {@code replace}). */
  public ManualTrigger(JobStore jobs, RunStore runs, RunQueue queue, RunIds ids,
                       java.util.function.Consumer<java.util.UUID> cancels) {
    this.jobs = jobs;
    this.runs = runs;
    this.queue = queue;
    this.ids = ids;
    this.cancels = cancels;
  }

  public Future<Run> trigger(Caller caller, String jobId, boolean force) {
    List<java.util.UUID> toStop = new java.util.ArrayList<>();
    return jobs.pool().withTransaction(conn -> jobs.get(conn, jobId).compose(found -> {
      if (found.isEmpty() || !caller.sees(found.get().job().namespace())) {
        return Future.failedFuture(ApiException.notFound("job " + jobId));
      }
      Job job = found.get().job();
      return runs.activeJobs(conn, List.of(jobId)).map(a -> a.contains(jobId)).compose(active ->
          (active && job.overlap() == OverlapPolicy.REPLACE
              ? runs.replaceActive(conn, List.of(jobId)).onSuccess(toStop::addAll)
              : Future.succeededFuture(List.<java.util.UUID>of())).compose(replaced -> jobs.now(conn)).compose(now -> {
        boolean skip = active && !force && job.overlap() == OverlapPolicy.FORBID;
        NewRun run = new NewRun(ids.next(), jobId, job.namespace(), now, 1, Trigger.MANUAL,
            skip ? RunStatus.SKIPPED : RunStatus.PENDING, skip ? "overlap" : null, job.resourceClass(),
            job.priority(), now, force ? new io.vertx.core.json.JsonObject().put("forced", true) : null);
        return runs.insert(conn, List.of(run)).map(inserted -> run);
      }));
    }))
        // only once committed: a rolled-back trigger must not stop the run it meant to replace
        .onSuccess(run -> toStop.forEach(cancels))
        .compose(run -> (run.status() == RunStatus.PENDING
        ? queue.enqueue(List.of(run.queued()))
        : Future.succeededFuture(0))
        .compose(v -> runs.get(run.id()))
        .map(stored -> stored.orElseThrow()));
  }
}
