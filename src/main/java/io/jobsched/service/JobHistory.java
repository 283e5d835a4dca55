package io.jobsched.service;

import io.jobsched.job.FieldError;
import io.jobsched.store.JobStore;
import io.jobsched.store.JobVersion;
import io.jobsched.store.JobVersions;
import io.vertx.core.Future;

import java.util.List;

/**
 * Reading a job's audit trail: its recorded versions (written by {@link JobService} with each change).
 * Readable after the job is deleted. A job is found as {@link JobService#get} finds it, by namespace: here
 * the namespace of its newest version (404 for an id that never existed or that the caller may not see), and
 * versions from a namespace the caller may not see (the job moved since) are left out.
 */
public final class JobHistory {
  /** A page of versions, newest first, and the cursor of the next page (null on the last). */
  public record VersionPage(List<JobVersion> items, String nextCursor) {}

  private final JobStore jobs;
  private final JobVersions versions;

  public JobHistory(JobStore jobs) {
    this.jobs = jobs;
    this.versions = new JobVersions(jobs);
  }

  /** {@code cursor} (null or empty: the newest) must be a {@code nextCursor} of an earlier page. */
  public Future<VersionPage> list(Caller caller, String id, String cursor, int limit) {
    Long before;
    try {
      before = cursor == null || cursor.isEmpty() ? null : VersionCursor.decode(cursor).beforeVersion();
      if (limit < 1 || limit > 1000) {
        throw ApiException.badRequest("limit", "must be between 1 and 1000");
      }
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    List<String> namespaces = caller.namespaces() == null ? null : List.copyOf(caller.namespaces());
    return visible(caller, id)
        .compose(v -> versions.list(id, namespaces, before, limit + 1))
        .map(rows -> {
          boolean more = rows.size() > limit;
          List<JobVersion> page = more ? rows.subList(0, limit) : rows;
          return new VersionPage(page, more ? new VersionCursor(page.get(page.size() - 1).version()).encode() : null);
        });
  }

  /** One recorded version (404 naming {@code version} when the job has none such). */
  public Future<JobVersion> get(Caller caller, String id, long version) {
    return visible(caller, id).compose(v -> versions.get(jobs.pool(), id, version))
        .compose(found -> found.filter(jv -> caller.sees(jv.namespace())).map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(unknownVersion(id, version, ""))));
  }

  /** 404 {@code not_found}, its detail naming {@code version}. */
  static ApiException unknownVersion(String id, long version, String why) {
    String message = "job " + id + " has no version " + version + why;
    return new ApiException(404, "not_found", message, List.of(new FieldError("version", message)));
  }

  private Future<Void> visible(Caller caller, String id) {
    return versions.newest(id).compose(newest -> newest.isPresent() && caller.sees(newest.get().namespace())
        ? Future.<Void>succeededFuture() : Future.failedFuture(ApiException.notFound("job " + id)));
  }
}
