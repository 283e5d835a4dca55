package io.jobsched.api.json;

import io.jobsched.run.Run;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** Run JSON as API.md writes it (also the payload of {@code jobsched.runs.events}). */
public final class RunJson {
  private RunJson() {
  }

  public static JsonObject toJson(Run r) {
    return new JsonObject()
        .put("id", r.id().toString())
        .put("job_id", r.jobId())
        .put("namespace", r.namespace())
        .put("scheduled_for", time(r.scheduledFor()))
        .put("attempt", r.attempt())
        .put("trigger", r.trigger().wire())
        .put("status", r.status().name())
        .put("reason", r.reason())
        .put("worker", r.worker())
        .put("resource_class", r.resourceClass())
        .put("priority", r.priority())
        .put("due_at", time(r.dueAt()))
        .put("enqueued_at", time(r.enqueuedAt()))
        .put("started_at", time(r.startedAt()))
        .put("finished_at", time(r.finishedAt()))
        .put("exit_code", r.exitCode())
        .put("error", r.error())
        .put("lateness_ms", r.latenessMs())
        .put("duration_ms", r.durationMs())
        .put("context", r.context() == null ? null : new JsonObject(r.context()))
        .put("job_version", r.jobVersion());
  }

  /** A run as {@link #toJson(Run)}, saying {@code "tier": "cold"} when it was read from the cold tier. */
  public static JsonObject toJson(Run r, boolean cold) {
    JsonObject json = toJson(r);
    return cold ? json.put("tier", "cold") : json;
  }

  static String time(Instant i) {
    return Instants.format(i);
  }
}
