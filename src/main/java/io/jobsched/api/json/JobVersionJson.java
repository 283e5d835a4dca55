package io.jobsched.api.json;

import io.jobsched.store.JobVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A recorded job version as {@code GET /jobs/{id}/versions} returns it: API.md's {@code version}, {@code spec},
 * {@code changed_by}, {@code changed_at}, {@code change}, plus {@code job_id}, {@code paused},
 * {@code changed_fields} and {@code restored_from}.
 */
public final class JobVersionJson {
  private JobVersionJson() {
  }

  public static JsonObject toJson(JobVersion v) {
    return new JsonObject()
        .put("job_id", v.jobId())
        .put("version", v.version())
        .put("change", v.change().wire())
        .put("changed_by", v.changedBy())
        .put("changed_at", Instants.format(v.changedAt()))
        .put("changed_fields", new JsonArray(v.changedFields()))
        .put("restored_from", v.restoredFrom())
        .put("paused", v.paused())
        .put("spec", JobCodec.toJson(v.spec()));
  }
}
