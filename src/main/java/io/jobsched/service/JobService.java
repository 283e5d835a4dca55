package io.jobsched.service;

import io.jobsched.job.AfterSchedule;
import io.jobsched.job.ChangedFields;
import io.jobsched.job.JobChange;
import io.jobsched.job.FieldError;
import io.jobsched.job.Job;
import io.jobsched.job.TimeoutPolicy;
import io.jobsched.store.JobStore;
import io.jobsched.store.JobVersion;
import io.jobsched.store.JobVersions;
import io.jobsched.store.RecentRuns;
import io.jobsched.store.StoredJob;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Job operations, shared by REST and the event bus (which parse requests into {@link Job}s): rights,
 * references between jobs, and the writes.
 */
public final class JobService {
  public static final int MAX_BATCH = 1000;
  /** The longest {@code q} of the job list: an id has at most 128 characters, a name is matched by a part. */
  public static final int MAX_TEXT = 200;

  /** The result of an upsert: the job and whether it was created. */
  public record Upserted(StoredJob job, boolean created) {}

  /** A page of jobs and the cursor of the next page (null on the last). */
  public record JobPage(List<StoredJob> items, String nextCursor) {}

  private final JobStore jobs;
  private final java.util.function.Consumer<UUID> cancels;
  private final java.util.function.Consumer<String> changes;
  private final RecentRuns recent;
  private final JobVersions versions;
  private final JobHistory history;

  /**
   * {@code cancels} tells the cluster to drop or stop a run, {@code changes} that a job's definition changed
   * or the job is gone (both published to every worker, after the commit).
   */
  public JobService(JobStore jobs, java.util.function.Consumer<UUID> cancels, java.util.function.Consumer<String> changes) {
    this.jobs = jobs;
    this.cancels = cancels;
    this.changes = changes;
    this.recent = new RecentRuns(jobs.pool());
    this.versions = new JobVersions(jobs);
    this.history = new JobHistory(jobs);
  }

  /** Reading the versions this service records. */
  public JobHistory history() {
    return history;
  }

  /** The versions a create records: every field is new. */
  private static JobStore.VersionNote created(Caller caller) {
    return new JobStore.VersionNote(JobChange.CREATE, ChangedFields.ALL, caller.actor(), null);
  }

  public Future<StoredJob> create(Caller caller, Job parsed) {
    return definable(caller, parsed, null)
        .compose(job -> jobs.pool().withTransaction(conn -> insertAll(conn, List.of(job), false, created(caller)))
            .map(stored -> stored.get(0)));
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
    return jobs.pool().withTransaction(conn -> insertAll(conn, batch, true, created(caller)));
  }

  /** PUT: replaces or creates; {@code ifMatch} (nullable) must equal the stored version. */
  public Future<Upserted> upsert(Caller caller, String id, Job parsed, Long ifMatch) {
    return definable(caller, parsed, id).compose(job -> jobs.pool().withTransaction(conn ->
            jobs.getLocked(conn, id).compose(found -> replaceOrCreate(conn, caller, id, job, ifMatch, found, null))))
        .onSuccess(upserted -> {
          if (!upserted.created()) {
            changes.accept(id);
          }
        });
  }

  /**
   * Replaces the job {@code found} (read under its row lock in {@code conn}'s transaction) or creates it, and
   * records the new version. {@code restoredFrom}: a rollback to that version (null: a PUT).
   */
  private Future<Upserted> replaceOrCreate(SqlConnection conn, Caller caller, String id, Job job, Long ifMatch,
                                           Optional<StoredJob> found, Long restoredFrom) {
    if (found.isPresent() && !caller.sees(found.get().job().namespace())) {
      // the id is taken in a namespace this caller cannot see: it may neither learn that nor overwrite it
      return Future.failedFuture(ApiException.notFound("job " + id));
    }
    if (found.isEmpty()) {
      return ifMatch != null
          ? Future.failedFuture(new ApiException(412, "precondition_failed", "job " + id + " does not exist"))
          : insertAll(conn, List.of(job), false, created(caller)).map(stored -> new Upserted(stored.get(0), true));
    }
    StoredJob current = found.get();
    if (ifMatch != null && ifMatch != current.version()) {
      return Future.failedFuture(new ApiException(412, "precondition_failed",
          "job " + id + " is at version " + current.version() + ", not " + ifMatch));
    }
    // an unchanged schedule keeps its next fire; a new one starts from now
    boolean keep = current.job().schedule().equals(job.schedule());
    return checkReferences(conn, List.of(job), false)
        .compose(v -> checkCycles(conn, List.of(job), false))
        .compose(v -> jobs.now(conn))
        .compose(now -> jobs.replace(conn, job, job.schedule().firstFire(now).orElse(null), keep, current.version()))
        .compose(replaced -> replaced.map(s -> versions.record(conn, s,
                restoredFrom == null ? JobChange.REPLACE : JobChange.ROLLBACK,
                ChangedFields.between(current.job(), job), caller.actor(), restoredFrom)
                .map(v -> new Upserted(s, false)))
            .orElseGet(() -> Future.failedFuture(new ApiException(412, "precondition_failed",
                "job " + id + " changed concurrently"))));
  }

  /**
   * Restores version {@code version} of job {@code id} as its newest version (change {@code rollback}), as a
   * PUT of that definition would: the caller must be allowed to define it, the schedule's next fire is
   * recomputed unless the schedule is the current one, references must still hold. The paused state is the
   * job's own, not the restored version's. A deleted job is created again from it (its numbers go on).
   */
  public Future<Upserted> rollback(Caller caller, String id, long version) {
    return jobs.pool().withTransaction(conn -> jobs.getLocked(conn, id).compose(found -> {
      Future<Optional<JobVersion>> last = found.isPresent() ? Future.succeededFuture(Optional.empty())
          : versions.newest(conn, id);
      return last.compose(deleted -> {
        String namespace = found.map(j -> j.job().namespace()).orElse(deleted.map(JobVersion::namespace).orElse(null));
        if (namespace == null || !caller.sees(namespace)) {
          return Future.failedFuture(ApiException.notFound("job " + id));
        }
        return versions.get(conn, id, version).compose(target -> {
          if (target.isEmpty() || target.get().change() == JobChange.DELETE) {
            return Future.failedFuture(JobHistory.unknownVersion(id, version,
                target.isPresent() ? " to restore (a delete)" : ""));
          }
          Job restored = target.get().spec();
          try {
            caller.mayDefine(restored);
          } catch (ApiException e) {
            return Future.failedFuture(e);
          }
          if (found.isPresent()) {
            return replaceOrCreate(conn, caller, id, restored, null, found, version);
          }
          JobStore.VersionNote note = new JobStore.VersionNote(JobChange.ROLLBACK,
              ChangedFields.between(deleted.get().spec(), restored), caller.actor(), version);
          return insertAll(conn, List.of(restored), false, note).map(stored -> new Upserted(stored.get(0), true));
        });
      });
    })).onSuccess(upserted -> changes.accept(id));
  }

  public Future<StoredJob> get(Caller caller, String id) {
    return jobs.get(jobs.pool(), id).compose(found -> orNotFound(found.filter(j -> caller.sees(j.job().namespace())), id));
  }

  public Future<Void> delete(Caller caller, String id) {
    return get(caller, id).compose(job -> jobs.delete(jobs.pool(), id, caller.actor())).compose(deleted -> {
      if (!deleted) {
        return Future.failedFuture(ApiException.notFound("job " + id));
      }
      changes.accept(id);
      return Future.<Void>succeededFuture();
    });
  }

  /** Pauses or resumes; a change of state is recorded as a version, asking for the state the job is in is not. */
  public Future<StoredJob> setPaused(Caller caller, String id, boolean paused) {
    return get(caller, id).compose(job -> jobs.pool().withTransaction(conn -> jobs.setPaused(conn, id, paused)
        .compose(change -> !change.changed() || change.job().isEmpty() ? Future.succeededFuture(change)
            : versions.record(conn, change.job().get(), paused ? JobChange.PAUSE : JobChange.RESUME,
                ChangedFields.PAUSED, caller.actor(), null).map(v -> change))))
        .compose(change -> {
      // only once committed; a worker may hold a skipped run for its instant
      change.skippedRuns().forEach(cancels);
      return orNotFound(change.job(), id);
    });
  }

  /**
   * Jobs the caller may see, by id; asking for a namespace it may not see is a 403, not an empty page.
   * {@code cursor} (null or empty: the first page) must be a {@code nextCursor} of an earlier page.
   * {@code text} (nullable) keeps the jobs whose id or name contains it, ignoring case.
   */
  public Future<JobPage> list(Caller caller, String namespace, Boolean paused, JsonObject labels, String text,
                              String cursor, int limit) {
    JobCursor after;
    try {
      after = cursor == null || cursor.isEmpty() ? null : JobCursor.decode(cursor);
      checkListFilters(namespace, labels, limit);
      checkText(text);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    if (namespace != null && !caller.sees(namespace)) {
      return Future.failedFuture(new ApiException(403, "forbidden", "this token may not read namespace " + namespace));
    }
    List<String> namespaces = namespace != null ? List.of(namespace)
        : caller.namespaces() == null ? null : List.copyOf(caller.namespaces());
    return jobs.list(namespaces, paused, labels, text, after == null ? null : after.afterId(), limit + 1).map(rows -> {
      boolean more = rows.size() > limit;
      List<StoredJob> page = more ? rows.subList(0, limit) : rows;
      return new JobPage(page, more ? new JobCursor(page.get(page.size() - 1).job().id()).encode() : null);
    });
  }

  /** The newest runs (at most {@value RecentRuns#MAX}) of each of these jobs, in one query; see {@link RecentRuns}. */
  public Future<Map<String, List<RecentRuns.Recent>>> recentRuns(List<String> jobIds, int n) {
    return recent.of(jobIds, n);
  }

  private static void checkText(String text) {
    if (text != null && (text.length() > MAX_TEXT || text.indexOf('\0') >= 0)) {
      throw ApiException.badRequest("q", "at most " + MAX_TEXT + " characters, no NUL");
    }
  }

  /** What no stored job can match is a 400 naming the parameter, never a query Postgres refuses. */
  private static void checkListFilters(String namespace, JsonObject labels, int limit) {
    if (limit < 1 || limit > 1000) {
      throw ApiException.badRequest("limit", "must be between 1 and 1000");
    }
    if (namespace != null && !Job.ID.matcher(namespace).matches()) {
      throw ApiException.badRequest("namespace", "must match " + Job.ID.pattern());
    }
    if (labels != null) {
      labels.forEach(e -> {
        if (!(e.getValue() instanceof String v) || e.getKey().indexOf('\0') >= 0 || v.indexOf('\0') >= 0) {
          throw ApiException.badRequest("label", "expected key:value strings without NUL characters");
        }
      });
    }
  }

  /**
   * Inserts jobs in one statement, all or none: a taken id is 409 naming it. {@code numbered}: errors name
   * the job's place in a batch ({@code jobs[3].schedule.job_id}).
   */
  private Future<List<StoredJob>> insertAll(SqlClient conn, List<Job> batch, boolean numbered, JobStore.VersionNote note) {
    return checkReferences(conn, batch, numbered)
        .compose(v -> jobs.now(conn))
        .compose(now -> jobs.insertAll(conn, batch, now, note))
        // a create racing the delete of the same id can find that id's next version number taken: a conflict
        // to retry, as the key meant (never two definitions under one number)
        .recover(err -> Future.failedFuture(err instanceof io.vertx.pgclient.PgException pg
            && "23505".equals(pg.getSqlState()) && "job_versions_pkey".equals(pg.getConstraint())
            ? new ApiException(409, "conflict", "a job of this batch changed concurrently; retry") : err))
        .compose(stored -> {
          if (stored.size() == batch.size()) {
            return Future.succeededFuture(stored);
          }
          Set<String> inserted = new HashSet<>();
          stored.forEach(s -> inserted.add(s.job().id()));
          String taken = batch.stream().map(Job::id).filter(id -> !inserted.contains(id)).findFirst().orElseThrow();
          return Future.failedFuture(new ApiException(409, "conflict", "job " + taken + " already exists"));
        })
        // after the insert: jobs of one batch may run after each other
        .compose(stored -> checkCycles(conn, batch, numbered).map(v -> {
          Map<String, StoredJob> byId = new HashMap<>();
          stored.forEach(s -> byId.put(s.job().id(), s));
          return batch.stream().map(j -> byId.get(j.id())).toList();
        }));
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
   * The jobs a job names must exist in its own namespace: the job it runs after and its timeout handler,
   * stored already or defined in the same batch. A job elsewhere is as good as missing, whether or not the
   * caller could see it, so namespaces never learn of each other's jobs and a run never fires across the wall.
   */
  private Future<Void> checkReferences(SqlClient conn, List<Job> batch, boolean numbered) {
    Map<String, String> namespaces = new HashMap<>();
    Set<String> named = new HashSet<>();
    for (Job job : batch) {
      namespaces.put(job.id(), job.namespace());
      references(job).forEach((field, id) -> named.add(id));
    }
    named.removeAll(namespaces.keySet());
    Future<Map<String, String>> stored = named.isEmpty() ? Future.succeededFuture(Map.of())
        : jobs.namespacesOf(conn, named);
    return stored.compose(found -> {
      namespaces.putAll(found);
      for (int i = 0; i < batch.size(); i++) {
        Job job = batch.get(i);
        String prefix = numbered ? "jobs[" + i + "]." : "";
        for (Map.Entry<String, String> ref : references(job).entrySet()) {
          boolean handler = ref.getKey().startsWith("on_timeout");
          if (handler && ref.getValue().equals(job.id())) {
            return Future.failedFuture(ApiException.invalid("invalid_job", 422, List.of(new FieldError(
                prefix + ref.getKey(), "a job cannot be its own timeout handler"))));
          }
          if (!job.namespace().equals(namespaces.get(ref.getValue()))) {
            return Future.failedFuture(ApiException.invalid(handler ? "unknown_handler" : "unknown_dependency", 422,
                List.of(new FieldError(prefix + ref.getKey(), "no job " + ref.getValue() + " in namespace "
                    + job.namespace()))));
          }
        }
      }
      return Future.<Void>succeededFuture();
    });
  }

  /** The jobs {@code job} names, by the field naming them. */
  private static Map<String, String> references(Job job) {
    Map<String, String> refs = new java.util.LinkedHashMap<>();
    if (job.schedule() instanceof AfterSchedule a) {
      refs.put("schedule.job_id", a.jobId());
    }
    if (job.onTimeout().action() == TimeoutPolicy.Action.HANDLER) {
      refs.put("on_timeout.handler_job_id", job.onTimeout().handlerJobId());
    }
    return refs;
  }

  /** An after-job must not close a cycle of after-jobs (walked in the stored table, this batch included). */
  private Future<Void> checkCycles(SqlClient conn, List<Job> batch, boolean numbered) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < batch.size(); i++) {
      Job job = batch.get(i);
      String field = (numbered ? "jobs[" + i + "]." : "") + "schedule.job_id";
      if (job.schedule() instanceof AfterSchedule a) {
        chain = chain.compose(v -> jobs.wouldCloseCycle(conn, a.jobId(), job.id()))
            .compose(cycle -> cycle ? Future.failedFuture(ApiException.invalid("dependency_cycle", 422,
                List.of(new FieldError(field, "job " + a.jobId() + " already runs after " + job.id()
                    + "; this would form a cycle")))) : Future.<Void>succeededFuture());
      }
    }
    return chain;
  }

}
