package io.jobsched.service;

import io.jobsched.api.json.JobCodec;
import io.jobsched.job.AfterSchedule;
import io.jobsched.job.FieldError;
import io.jobsched.job.Job;
import io.jobsched.job.JobValidationException;
import io.jobsched.store.JobStore;
import io.jobsched.store.StoredJob;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Job operations, shared by REST and the event bus: handlers only translate. */
public final class JobService {
  public static final int MAX_BATCH = 1000;

  /** The result of an upsert: the job and whether it was created. */
  public record Upserted(StoredJob job, boolean created) {}

  /** A page of jobs and the cursor of the next page (null on the last). */
  public record JobPage(List<StoredJob> items, String nextCursor) {}

  private final JobStore jobs;

  public JobService(JobStore jobs) {
    this.jobs = jobs;
  }

  public Future<StoredJob> create(Caller caller, JsonObject body) {
    return parseForWrite(caller, body, null).compose(job -> jobs.pool().withTransaction(conn -> insert(conn, job)));
  }

  /** Parses and completes a job the caller may write; validation and namespace failures as API errors. */
  private static Future<Job> parseForWrite(Caller caller, JsonObject body, String pathId) {
    try {
      Job job = complete(JobCodec.parse(body, pathId), pathId);
      caller.mayWrite(job.namespace());
      return Future.succeededFuture(job);
    } catch (JobValidationException e) {
      return Future.failedFuture(invalid(e.code(), e.status(), e.details()));
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
  }

  /** All-or-nothing: one invalid job or taken id rejects the whole batch. */
  public Future<List<StoredJob>> createBatch(Caller caller, JsonObject body) {
    Object raw = body.getValue("jobs");
    if (!(raw instanceof JsonArray arr) || body.size() != 1) {
      return Future.failedFuture(ApiException.badRequest("jobs", "expected {\"jobs\": [job, ...]} and nothing else"));
    }
    if (arr.isEmpty() || arr.size() > MAX_BATCH) {
      return Future.failedFuture(ApiException.badRequest("jobs", "must hold 1 to " + MAX_BATCH + " jobs"));
    }
    List<Job> parsed = new ArrayList<>();
    List<FieldError> errors = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < arr.size(); i++) {
      String prefix = "jobs[" + i + "]";
      if (!(arr.getValue(i) instanceof JsonObject o)) {
        errors.add(new FieldError(prefix, "expected a job object"));
        continue;
      }
      try {
        Job job = complete(JobCodec.parse(o, null), null);
        if (!caller.sees(job.namespace())) {
          return Future.failedFuture(new ApiException(403, "forbidden",
              prefix + ": this token may not write to namespace " + job.namespace()));
        }
        if (!ids.add(job.id())) {
          errors.add(new FieldError(prefix + ".id", "appears twice in this batch"));
        }
        parsed.add(job);
      } catch (JobValidationException e) {
        e.details().forEach(d -> errors.add(new FieldError(prefix + "." + d.field(), d.message())));
      }
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(invalid("invalid_job", 400, errors));
    }
    return jobs.pool().withTransaction(conn -> {
      Future<List<StoredJob>> chain = Future.succeededFuture(new ArrayList<>());
      for (Job job : parsed) {
        chain = chain.compose(done -> insert(conn, job).map(stored -> {
          done.add(stored);
          return done;
        }));
      }
      return chain;
    });
  }

  /** PUT: replaces or creates; {@code ifMatch} (nullable) must equal the stored version. */
  public Future<Upserted> upsert(Caller caller, String id, JsonObject body, Long ifMatch) {
    return parseForWrite(caller, body, id).compose(job -> upsert(caller, id, job, ifMatch));
  }

  private Future<Upserted> upsert(Caller caller, String id, Job job, Long ifMatch) {
    return jobs.pool().withTransaction(conn -> jobs.get(conn, id).compose(found -> {
      if (found.isPresent() && !caller.sees(found.get().job().namespace())) {
        // the id is taken in a namespace this caller cannot see: it may neither learn that nor overwrite it
        return Future.failedFuture(ApiException.notFound("job " + id));
      }
      return Future.succeededFuture(found);
    }).compose(existing -> {
      if (existing.isEmpty()) {
        return ifMatch != null
            ? Future.failedFuture(new ApiException(412, "precondition_failed", "job " + id + " does not exist"))
            : insert(conn, job).map(stored -> new Upserted(stored, true));
      }
      StoredJob current = existing.get();
      if (ifMatch != null && ifMatch != current.version()) {
        return Future.failedFuture(new ApiException(412, "precondition_failed",
            "job " + id + " is at version " + current.version() + ", not " + ifMatch));
      }
      // an unchanged schedule keeps its next fire; a new one starts from now
      boolean keep = current.job().schedule().equals(job.schedule());
      return checkDependency(conn, job)
          .compose(v -> jobs.now(conn))
          .compose(now -> jobs.replace(conn, job, job.schedule().firstFire(now).orElse(null), keep, current.version()))
          .compose(replaced -> replaced.map(s -> Future.succeededFuture(new Upserted(s, false)))
              .orElseGet(() -> Future.failedFuture(new ApiException(412, "precondition_failed",
                  "job " + id + " changed concurrently"))));
    }));
  }

  public Future<StoredJob> get(Caller caller, String id) {
    return jobs.get(jobs.pool(), id).compose(found -> orNotFound(found.filter(j -> caller.sees(j.job().namespace())), id));
  }

  public Future<Void> delete(Caller caller, String id) {
    return get(caller, id).compose(job -> jobs.delete(jobs.pool(), id)).compose(deleted -> deleted
        ? Future.<Void>succeededFuture() : Future.failedFuture(ApiException.notFound("job " + id)));
  }

  public Future<StoredJob> setPaused(Caller caller, String id, boolean paused) {
    return get(caller, id).compose(job -> jobs.setPaused(id, paused)).compose(found -> orNotFound(found, id));
  }

  /** Jobs the caller may see; asking for a namespace it may not see is a 403, not an empty page. */
  public Future<JobPage> list(Caller caller, String namespace, Boolean paused, JsonObject labels, String cursor,
                              int limit) {
    if (namespace != null && !caller.sees(namespace)) {
      return Future.failedFuture(new ApiException(403, "forbidden", "this token may not read namespace " + namespace));
    }
    List<String> namespaces = namespace != null ? List.of(namespace)
        : caller.namespaces() == null ? null : List.copyOf(caller.namespaces());
    return jobs.list(namespaces, paused, labels, cursor, limit + 1).map(rows -> {
      boolean more = rows.size() > limit;
      List<StoredJob> page = more ? rows.subList(0, limit) : rows;
      return new JobPage(page, more ? page.get(page.size() - 1).job().id() : null);
    });
  }

  private Future<StoredJob> insert(SqlClient conn, Job job) {
    return checkDependency(conn, job)
        .compose(v -> jobs.now(conn))
        .compose(now -> jobs.insert(conn, job, job.schedule().firstFire(now).orElse(null)))
        .compose(inserted -> inserted.map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(new ApiException(409, "conflict", "job " + job.id() + " already exists"))));
  }

  private static Future<StoredJob> orNotFound(Optional<StoredJob> found, String id) {
    return found.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(ApiException.notFound("job " + id)));
  }

  /** Fills what the service decides: a generated id, and the name defaulting to the id. */
  private static Job complete(Job parsed, String pathId) {
    String id = pathId != null ? pathId : parsed.id() != null ? parsed.id() : UUID.randomUUID().toString();
    Job job = parsed.withId(id);
    return job.name() == null || job.name().isEmpty() ? job.withName(id) : job;
  }

  /** An after-job needs an existing upstream, and must not close a cycle of after-jobs. */
  private Future<Void> checkDependency(SqlClient conn, Job job) {
    if (!(job.schedule() instanceof AfterSchedule after)) {
      return Future.succeededFuture();
    }
    return jobs.get(conn, after.jobId()).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(invalid("unknown_dependency", 422,
            List.of(new FieldError("schedule.job_id", "no job " + after.jobId()))));
      }
      return jobs.wouldCloseCycle(conn, after.jobId(), job.id()).compose(cycle -> cycle
          ? Future.failedFuture(invalid("dependency_cycle", 422, List.of(new FieldError("schedule.job_id",
              "job " + after.jobId() + " already runs after " + job.id() + "; this would form a cycle"))))
          : Future.<Void>succeededFuture());
    });
  }

  static ApiException invalid(String code, int status, List<FieldError> details) {
    FieldError first = details.get(0);
    String more = details.size() > 1 ? " (and " + (details.size() - 1) + " more)" : "";
    return new ApiException(status, code, first.field() + ": " + first.message() + more, details);
  }
}
