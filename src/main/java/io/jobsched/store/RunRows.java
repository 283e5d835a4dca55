package io.jobsched.store;

import io.jobsched.job.Needs;
import io.jobsched.run.Run;
import io.jobsched.run.RunStatus;
import io.jobsched.run.Trigger;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** Maps {@code runs} rows ({@link #COLUMNS}, or all columns as from {@code RETURNING *} or {@code SELECT r.*}). */
final class RunRows {
  static final String COLUMNS = "id, job_id, namespace, scheduled_for, attempt, trigger, status, reason, worker, token, "
      + "resource_class, task_kind, priority, due_at, enqueued_at, started_at, finished_at, exit_code, error, context, "
      + "cancel_requested_at, job_version, needs";

  private RunRows() {
  }

  static Run from(Row r) {
    return new Run(
        r.getUUID("id"), r.getString("job_id"), r.getString("namespace"),
        Times.instant(r.getOffsetDateTime("scheduled_for")), r.getInteger("attempt"),
        Trigger.fromWire(r.getString("trigger")), RunStatus.valueOf(r.getString("status")),
        r.getString("reason"), r.getString("worker"), r.getLong("token"), r.getString("resource_class"),
        r.getString("task_kind"), r.getInteger("priority"), Times.instant(r.getOffsetDateTime("due_at")),
        Times.instant(r.getOffsetDateTime("enqueued_at")), Times.instant(r.getOffsetDateTime("started_at")),
        Times.instant(r.getOffsetDateTime("finished_at")), r.getInteger("exit_code"), r.getString("error"),
        r.getValue("context") instanceof JsonObject c ? c.getMap() : null,
        r.getValue("cancel_requested_at") != null, r.getLong("job_version"),
        Needs.fromWire(r.getString("needs")));
  }
}
