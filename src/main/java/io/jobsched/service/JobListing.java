package io.jobsched.service;

import io.jobsched.job.Job;
import io.jobsched.store.JobStore;
import io.jobsched.store.StoredJob;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** The job list: its filters checked (a 400 naming the parameter), the caller's namespaces applied, paged by id. */
final class JobListing {
  /** The longest {@code q} of the job list: an id has at most 128 characters, a name is matched by a part. */
  static final int MAX_TEXT = 200;

  private final JobStore jobs;

  JobListing(JobStore jobs) {
    this.jobs = jobs;
  }

  /**
   * Jobs the caller may see, by id; asking for a namespace it may not see is a 403, not an empty page.
   * {@code cursor} (null or empty: the first page) must be a {@code nextCursor} of an earlier page.
   * {@code text} (nullable) keeps the jobs whose id or name contains it, ignoring case.
   */
  Future<JobService.JobPage> page(Caller caller, String namespace, Boolean paused, JsonObject labels, String text,
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
      return new JobService.JobPage(page, more ? new JobCursor(page.get(page.size() - 1).job().id()).encode() : null);
    });
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
}
