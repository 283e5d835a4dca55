package io.jobsched.worker;

import io.jobsched.job.Job;
import io.jobsched.run.Run;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a task runner needs to start one run. */
public record TaskContext(Run run, Job job, LogSink logs) {
  /** The identity every task sees, so it can make itself idempotent (env vars / X-Jobsched-* headers). */
  public Map<String, String> identity() {
    Map<String, String> id = new LinkedHashMap<>();
    id.put("JOB_ID", run.jobId());
    id.put("RUN_ID", run.id().toString());
    id.put("ATTEMPT", Integer.toString(run.attempt()));
    id.put("SCHEDULED_FOR", run.scheduledFor().toString());
    if (run.context() != null) {
      id.put("CONTEXT", new io.vertx.core.json.JsonObject(run.context()).encode());
    }
    return id;
  }
}
