package io.jobsched.service;

import io.jobsched.job.ChangedFields;
import io.jobsched.job.JobChange;
import io.jobsched.job.FieldError;
import io.jobsched.job.Job;
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
  private final JobReferences references;
  private final JobListing listing;

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
    this.references = new JobReferences(jobs);
    this.listing = new JobListing(jobs);
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
    return references.check(conn, List.of(job), false)
        .compose(v -> references.checkCycles(conn, List.of(job), false))
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
   * Jobs the caller may see, by id ({@link JobListing}): {@code cursor} (null or empty: the first page) must be
   * a {@code nextCursor} of an earlier page; {@code text} (nullable) keeps the jobs whose id or name contains it.
   */
  public Future<JobPage> list(Caller caller, String namespace, Boolean paused, JsonObject labels, String text,
                              String cursor, int limit) {
    return listing.page(caller, namespace, paused, labels, text, cursor, limit);
  }

  /** The newest runs (at most {@value RecentRuns#MAX}) of each of these jobs, in one query; see {@link RecentRuns}. */
  public Future<Map<String, List<RecentRuns.Recent>>> recentRuns(List<String> jobIds, int n) {
    return recent.of(jobIds, n);
  }

  /**
   * Inserts jobs in one statement, all or none: a taken id is 409 naming it. {@code numbered}: errors name
   * the job's place in a batch ({@code jobs[3].schedule.job_id}).
   */
  private Future<List<StoredJob>> insertAll(SqlClient conn, List<Job> batch, boolean numbered, JobStore.VersionNote note) {
    return references.check(conn, batch, numbered)
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
        .compose(stored -> references.checkCycles(conn, batch, numbered).map(v -> {
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
}
