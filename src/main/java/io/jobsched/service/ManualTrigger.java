package io.jobsched.service;

import io.jobsched.job.Job;
import io.jobsched.queue.RunQueue;
import io.jobsched.run.Run;
import io.jobsched.run.RunIds;
import io.jobsched.run.RunStatus;
import io.jobsched.run.Trigger;
import io.jobsched.store.JobStore;
import io.jobsched.store.NewRun;
import io.jobsched.store.RunStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

/**
 * "Run it now": a PENDING run with trigger {@code manual}, scheduled at the database's now. Each request is
 * a fire of its own (the run is its own cause), so two triggers never collapse into one run. Overlap is
 * judged where it is for every run, as the run starts (the worker's OverlapGate): under {@code forbid} a
 * trigger while another run is RUNNING ends SKIPPED (reason overlap) unless forced; under {@code replace} it
 * stops the running one.
 */
public final class ManualTrigger {
  private static final Logger log = LoggerFactory.getLogger(ManualTrigger.class);
  private final JobStore jobs;
  private final RunStore runs;
  private final RunQueue queue;
  private final RunIds ids;

  public ManualTrigger(JobStore jobs, RunStore runs, RunQueue queue, RunIds ids) {
    this.jobs = jobs;
    this.runs = runs;
    this.queue = queue;
    this.ids = ids;
  }

  public Future<Run> trigger(Caller caller, String jobId, boolean force) {
    return jobs.pool().withTransaction(conn -> jobs.get(conn, jobId).compose(found -> {
      if (found.isEmpty() || !caller.sees(found.get().job().namespace())) {
        return Future.failedFuture(ApiException.notFound("job " + jobId));
      }
      Job job = found.get().job();
      return jobs.now(conn).compose(now -> {
        UUID id = ids.forFire(now);
        NewRun run = new NewRun(id, jobId, job.namespace(), now, 1, Trigger.MANUAL, RunStatus.PENDING, null,
            job.resourceClass(), job.task().type(), job.priority(), now,
            force ? new JsonObject().put("forced", true) : null, id, found.get().version(), job.needs(), List.of());
        return runs.insert(conn, List.of(run)).map(inserted -> run);
      });
    }))
        // the run is committed: a client that retried on a failed enqueue would fire twice, and the reaper
        // queues a PENDING run Redis does not hold within an interval anyway
        .compose(run -> queue.enqueue(List.of(run.queued()))
            .onFailure(err -> log.warn("run {} of job {} is committed but not queued ({}); the reaper will queue it",
                run.id(), jobId, err.getMessage()))
            .transform(queued -> runs.get(run.id())))
        .map(stored -> stored.orElseThrow());
  }
}
