package io.jobsched.api.json;

import io.jobsched.store.StoredJob;
import io.vertx.core.json.JsonObject;

/** A job as the API returns it: the definition plus version, pause state, next fire and times. */
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
        .put("last_run", null);
  }
}
