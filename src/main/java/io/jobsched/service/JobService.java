package io.jobsched.service;

import io.jobsched.api.json.JobCodec;
import io.jobsched.job.AfterSchedule;
import io.jobsched.job.FieldError;
import io.jobsched.job.Job;
import io.jobsched.job.JobValidationException;
import io.jobsched.store.JobStore;
import io.jobsched.store.StoredJob;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/** Job operations, shared by REST and the event bus: handlers only translate. */
public final class JobService {
  private final JobStore jobs;

  public JobService(JobStore jobs) {
    this.jobs = jobs;
  }

  public Future<StoredJob> create(JsonObject body) {
    Job parsed;
    try {
      parsed = JobCodec.parse(body, null);
    } catch (JobValidationException e) {
      return Future.failedFuture(new ApiException(e.status(), e.code(), summary(e.details()), e.details()));
    }
    String id = parsed.id() != null ? parsed.id() : UUID.randomUUID().toString();
    Job job = parsed.withId(id);
    if (job.name() == null || job.name().isEmpty()) {
      job = new Job(id, job.namespace(), id, job.labels(), job.schedule(), job.task(), job.resourceClass(),
          job.timeout(), job.onTimeout(), job.retry(), job.priority(), job.overlap(), job.misfire());
    }
    Job toInsert = job;
    return jobs.pool().withTransaction(conn -> checkDependency(conn, toInsert)
        .compose(v -> jobs.now(conn))
        .compose(now -> jobs.insert(conn, toInsert, toInsert.schedule().firstFire(now).orElse(null)))
        .compose(inserted -> inserted.map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(new ApiException(409, "conflict", "job " + toInsert.id() + " already exists")))));
  }

  public Future<StoredJob> get(String id) {
    return jobs.get(jobs.pool(), id).compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("job " + id))));
  }

  private Future<Void> checkDependency(io.vertx.sqlclient.SqlClient conn, Job job) {
    if (!(job.schedule() instanceof AfterSchedule after)) {
      return Future.succeededFuture();
    }
    return jobs.get(conn, after.jobId()).compose(found -> found.isPresent()
        ? Future.<Void>succeededFuture()
        : Future.failedFuture(new ApiException(422, "unknown_dependency", "schedule.job_id: no job " + after.jobId(),
            List.of(new FieldError("schedule.job_id", "no job " + after.jobId())))));
  }

  static String summary(List<FieldError> details) {
    if (details.isEmpty()) {
      return "invalid job";
    }
    FieldError first = details.get(0);
    String more = details.size() > 1 ? " (and " + (details.size() - 1) + " more)" : "";
    return first.field() + ": " + first.message() + more;
  }
}
