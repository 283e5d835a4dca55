package io.jobsched.service;

import io.jobsched.api.json.JsonFields;
import io.jobsched.job.AfterSchedule;
import io.jobsched.job.FieldError;
import io.jobsched.job.Job;
import io.jobsched.job.TimeoutPolicy;
import io.jobsched.store.JobStore;
import io.jobsched.store.StoredJob;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Job operations, shared by REST and the event bus (which parse requests into {@link Job}s): rights,
 * references between jobs, and the writes.
 */
public final class JobService {
  public static final int MAX_BATCH = 1000;

  /** The result of an upsert: the job and whether it was created. */
  public record Upserted(StoredJob job, boolean created) {}

  /** A page of jobs and the cursor of the next page (null on the last). */
  public record JobPage(List<StoredJob> items, String nextCursor) {}

  private final JobStore jobs;
  private final java.util.function.Consumer<UUID> cancels;

  /** {@code cancels} tells the cluster to drop or stop a run (published to every worker). */
  public JobService(JobStore jobs, java.util.function.Consumer<UUID> cancels) {
    this.jobs = jobs;
    this.cancels = cancels;
  }

  public Future<StoredJob> create(Caller caller, Job parsed) {
    return definable(caller, parsed, null).compose(job -> jobs.pool().withTransaction(conn -> insert(conn, job)));
  }

  /** Completes a parsed job (what the service decides) once the caller may define it. */
  private static Future<Job> definable(Caller caller, Job parsed, String pathId) {
    Job job = complete(parsed, pathId);
    try {
      caller.mayDefine(job);
      return Future.succeededFuture(job);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
  }

  /** All-or-nothing: one refused job or taken id rejects the whole batch. */
  public Future<List<StoredJob>> createBatch(Caller caller, List<Job> parsed) {
    List<Job> batch = new ArrayList<>();
    List<FieldError> errors = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < parsed.size(); i++) {
      String prefix = "jobs[" + i + "]";
      Job job = complete(parsed.get(i), null);
      try {
        caller.mayDefine(job);
      } catch (ApiException e) {
        return Future.failedFuture(new ApiException(e.status(), e.code(), prefix + ": " + e.getMessage()));
      }
      if (!ids.add(job.id())) {
        errors.add(new FieldError(prefix + ".id", "appears twice in this batch"));
      }
      batch.add(job);
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(ApiException.invalid("invalid_job", 400, errors));
    }
    return jobs.pool().withTransaction(conn -> {
          Future<List<StoredJob>> chain = Future.succeededFuture(new ArrayList<>());
          for (int i = 0; i < batch.size(); i++) {
            Job job = batch.get(i);
            String prefix = "jobs[" + i + "].";
            chain = chain.compose(done -> insert(conn, job).recover(err -> Future.failedFuture(prefixed(err, prefix)))
                .map(stored -> {
                  done.add(stored);
                  return done;
                }));
          }
          return chain;
        });
  }

  /** A batch's errors name the job they are about: {@code jobs[3].schedule.job_id}. */
  private static Throwable prefixed(Throwable err, String prefix) {
    if (!(err instanceof ApiException api) || api.details().isEmpty()) {
      return err;
    }
    return ApiException.invalid(api.code(), api.status(),
        api.details().stream().map(d -> new FieldError(prefix + d.field(), d.message())).toList());
  }

  /** PUT: replaces or creates; {@code ifMatch} (nullable) must equal the stored version. */
  public Future<Upserted> upsert(Caller caller, String id, Job parsed, Long ifMatch) {
    return definable(caller, parsed, id).compose(job -> replaceOrCreate(caller, id, job, ifMatch));
  }

  private Future<Upserted> replaceOrCreate(Caller caller, String id, Job job, Long ifMatch) {
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
      return checkReferences(conn, job)
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
    return get(caller, id).compose(job -> jobs.setPaused(id, paused)).compose(change -> {
      // only once committed; a worker may hold a skipped run for its instant
      change.skippedRuns().forEach(cancels);
      return orNotFound(change.job(), id);
    });
  }

  /**
   * Jobs the caller may see, by id; asking for a namespace it may not see is a 403, not an empty page.
   * {@code cursor} (null or empty: the first page) must be a {@code nextCursor} of an earlier page.
   */
  public Future<JobPage> list(Caller caller, String namespace, Boolean paused, JsonObject labels, String cursor,
                              int limit) {
    JobCursor after;
    try {
      after = cursor == null || cursor.isEmpty() ? null : JobCursor.decode(cursor);
      checkListFilters(namespace, labels, limit);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    if (namespace != null && !caller.sees(namespace)) {
      return Future.failedFuture(new ApiException(403, "forbidden", "this token may not read namespace " + namespace));
    }
    List<String> namespaces = namespace != null ? List.of(namespace)
        : caller.namespaces() == null ? null : List.copyOf(caller.namespaces());
    return jobs.list(namespaces, paused, labels, after == null ? null : after.afterId(), limit + 1).map(rows -> {
      boolean more = rows.size() > limit;
      List<StoredJob> page = more ? rows.subList(0, limit) : rows;
      return new JobPage(page, more ? new JobCursor(page.get(page.size() - 1).job().id()).encode() : null);
    });
  }

  /** What no stored job can match is a 400 naming the parameter, never a query Postgres refuses. */
  private static void checkListFilters(String namespace, JsonObject labels, int limit) {
    if (limit < 1 || limit > 1000) {
      throw ApiException.badRequest("limit", "must be between 1 and 1000");
    }
    if (namespace != null && !JsonFields.ID.matcher(namespace).matches()) {
      throw ApiException.badRequest("namespace", "must match " + JsonFields.ID.pattern());
    }
    if (labels != null) {
      labels.forEach(e -> {
        if (!(e.getValue() instanceof String v) || e.getKey().indexOf('\0') >= 0 || v.indexOf('\0') >= 0) {
          throw ApiException.badRequest("label", "expected key:value strings without NUL characters");
        }
      });
    }
  }

  private Future<StoredJob> insert(SqlClient conn, Job job) {
    return checkReferences(conn, job)
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

  /**
   * The jobs a job names must exist in its own namespace: the job it runs after (without closing a cycle of
   * after-jobs) and its timeout handler. A job elsewhere is as good as missing, whether or not the caller
   * could see it, so namespaces never learn of each other's jobs and a run never fires across the wall.
   */
  private Future<Void> checkReferences(SqlClient conn, Job job) {
    Future<Void> after = job.schedule() instanceof AfterSchedule a
        ? inNamespace(conn, a.jobId(), job.namespace(), "unknown_dependency", "schedule.job_id")
            .compose(v -> jobs.wouldCloseCycle(conn, a.jobId(), job.id()))
            .compose(cycle -> cycle ? Future.failedFuture(ApiException.invalid("dependency_cycle", 422,
                List.of(new FieldError("schedule.job_id", "job " + a.jobId() + " already runs after " + job.id()
                    + "; this would form a cycle")))) : Future.<Void>succeededFuture())
        : Future.succeededFuture();
    TimeoutPolicy onTimeout = job.onTimeout();
    if (onTimeout.action() != TimeoutPolicy.Action.HANDLER) {
      return after;
    }
    if (onTimeout.handlerJobId().equals(job.id())) {
      return Future.failedFuture(ApiException.invalid("invalid_job", 422, List.of(new FieldError(
          "on_timeout.handler_job_id", "a job cannot be its own timeout handler"))));
    }
    return after.compose(v -> inNamespace(conn, onTimeout.handlerJobId(), job.namespace(), "unknown_handler",
        "on_timeout.handler_job_id"));
  }

  private Future<Void> inNamespace(SqlClient conn, String id, String namespace, String code, String field) {
    return jobs.get(conn, id).compose(found -> found.isPresent() && found.get().job().namespace().equals(namespace)
        ? Future.<Void>succeededFuture()
        : Future.failedFuture(ApiException.invalid(code, 422,
            List.of(new FieldError(field, "no job " + id + " in namespace " + namespace)))));
  }
}
