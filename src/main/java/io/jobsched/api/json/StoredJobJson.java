package io.jobsched.api.json;

import io.jobsched.store.StoredJob;
import io.vertx.core.json.JsonObject;

/** A job as the API returns it: the definition plus version, pause state, next fire, times and last run. */
public final class StoredJobJson {
  private StoredJobJson() {
  }

  public static JsonObject toJson(StoredJob s) {
    return JobCodec.toJson(s.job())
        .put("version", s.version())
        .put("paused", s.paused())
        .put("next_fire_at", RunJson.time(s.nextFireAt()))
        .put("created_at", RunJson.time(s.createdAt()))
        .put("updated_at", RunJson.time(s.updatedAt()))
        .put("last_run", lastRun(s.lastRun()));
  }

  /** {@code {"id","status","scheduled_for","finished_at"}} of the job's last run, or null. */
  private static JsonObject lastRun(StoredJob.LastRun r) {
    return r == null ? null : new JsonObject()
        .put("id", r.id().toString())
        .put("status", r.status().name())
        .put("scheduled_for", RunJson.time(r.scheduledFor()))
        .put("finished_at", RunJson.time(r.finishedAt()));
  }
}
