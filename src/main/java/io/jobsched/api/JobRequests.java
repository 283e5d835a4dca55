package io.jobsched.api;

import io.jobsched.api.json.JobCodec;
import io.jobsched.job.FieldError;
import io.jobsched.job.Job;
import io.jobsched.job.JobValidationException;
import io.jobsched.service.ApiException;
import io.jobsched.service.JobService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Job request bodies (REST and event bus) to {@link Job}s; malformed input fails with API.md's field errors. */
final class JobRequests {
  private JobRequests() {
  }

  /** One job; {@code pathId} is the id in the URL (PUT), or null. */
  static Job one(JsonObject body, String pathId) {
    try {
      return JobCodec.parse(body, pathId);
    } catch (JobValidationException e) {
      throw ApiException.invalid(e.code(), e.status(), e.details());
    }
  }

  /** {@code {"jobs": [...]}}: every job's errors, each field prefixed with {@code jobs[i]}, or the jobs. */
  static List<Job> batch(JsonObject body) {
    Object raw = body.getValue("jobs");
    if (!(raw instanceof JsonArray arr) || body.size() != 1) {
      throw ApiException.badRequest("jobs", "expected {\"jobs\": [job, ...]} and nothing else");
    }
    if (arr.isEmpty() || arr.size() > JobService.MAX_BATCH) {
      throw ApiException.badRequest("jobs", "must hold 1 to " + JobService.MAX_BATCH + " jobs");
    }
    List<Job> parsed = new ArrayList<>();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      String prefix = "jobs[" + i + "]";
      if (!(arr.getValue(i) instanceof JsonObject o)) {
        errors.add(new FieldError(prefix, "expected a job object"));
        continue;
      }
      try {
        parsed.add(JobCodec.parse(o, null));
      } catch (JobValidationException e) {
        e.details().forEach(d -> errors.add(new FieldError(prefix + "." + d.field(), d.message())));
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.invalid("invalid_job", 400, errors);
    }
    return parsed;
  }

  /** {@code {"version": N}} (a positive whole number, nothing else) of a rollback: N, or a 400 naming the field. */
  static long rollbackVersion(JsonObject body) {
    for (String key : body.fieldNames()) {
      if (!key.equals("version")) {
        throw ApiException.badRequest(key, "unknown field; expected {\"version\": N}");
      }
    }
    Object raw = body.getValue("version");
    if (raw == null) {
      throw ApiException.badRequest("version", "required: the version to restore");
    }
    if (!(raw instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 1
        || raw instanceof Double d && d > Long.MAX_VALUE) {
      throw ApiException.badRequest("version", "expected a version number (a whole number from 1)");
    }
    return n.longValue();
  }
}
