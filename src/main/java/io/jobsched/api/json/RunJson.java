package io.jobsched.api.json;

import io.jobsched.run.Run;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** Run JSON as API.md writes it (also the payload of {@code jobsched.runs.events}). */
public final class RunJson {
  private RunJson() {
  }

  public static JsonObject toJson(Run r) {
    JsonObject json = new JsonObject()
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
    // only a sized run says what it reserves: an unsized run's JSON (and event) stays as it was
    return r.needs().reservesNothing() ? json : json.put("resources", new JsonObject().put("cpu", r.needs().cpu())
        .put("memory_mb", r.needs().memoryMb()).put("gpu", r.needs().gpu()));
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
