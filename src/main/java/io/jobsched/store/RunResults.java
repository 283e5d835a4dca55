package io.jobsched.store;

import io.jobsched.job.Needs;
import io.jobsched.queue.QueuedRun;
import io.jobsched.run.FollowUp;
import io.jobsched.run.Run;
import io.jobsched.run.RunStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Records results of attempts, many in one statement. Each result is written only under its claim's token,
 * while the run is RUNNING under that token, or PENDING with no claim written yet and this claim not fenced:
 * a result missing from the answer was fenced and must be dropped.
 */
public final class RunResults {
  /** What a follow-up insert returns: the new run's place in the ready queue. */
  private static final String FOLLOW_UP = "id, job_id, resource_class, task_kind, due_at, priority, needs";

  /**
   * Records results and, in the same statement, creates their follow-ups: the next attempt (retry_ms =
   * backoff, null for none), a run of the timeout handler job, and — on a final outcome only — the runs of
   * the jobs that run after this one. Follow-ups exist exactly when their result was recorded, once: each
   * result update succeeds for one claim only, and each follow-up is keyed by its cause, so no two results
   * of one statement (which share now()) can collide: a retry by (job, scheduled_for, attempt + 1, the
   * lineage's caused_by), a handler or chained run by (job, the result's finished_at, 1, the run that caused
   * it). Handler and chained jobs must be in the namespace of the run that fires them. A retry carries the
   * lost workers forgiven so far ({@link FollowUp#workersLost}).
   */
  static final String FINISH = finish(false);

  /**
   * {@link #FINISH} for a batch in which some result owes notifications: it also writes them, one row per
   * notice, for the results that were recorded ({@link Notifications}). Batches without notices (jobs without
   * rules, retried attempts) keep the plain statement, so they cost what they did.
   */
  static final String FINISH_NOTIFYING = finish(true);

  private static String finish(boolean notifying) {
    return "WITH input AS (SELECT * FROM UNNEST($1::uuid[], $2::bigint[], $3::text[], "
        + "$4::int[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::timestamptz[], $10::int[], $11::text[], "
        + "$12::bigint[], $13::bigint[]" + (notifying ? ", $14::text[]" : "") + ") AS u(id, token, status, exit_code, "
        + "error, reason, retry_ms, handler_job_id, scheduled_for, workers_lost, worker, started_ago_us, ended_ago_us"
        + (notifying ? ", notices" : "") + ")), "
        // by the whole primary key (one partition). A quick task's result comes straight from PENDING: then no
        // other claim may have written (token still null) and the reaper must not have fenced this one.
        + "done AS (UPDATE runs r SET status = i.status, "
        + "finished_at = now() - coalesce(i.ended_ago_us, 0) * interval '1 microsecond', "
        + "started_at = coalesce(r.started_at, now() - i.started_ago_us * interval '1 microsecond'), "
        + "token = i.token, worker = coalesce(i.worker, r.worker), exit_code = i.exit_code, error = i.error, "
        + "reason = i.reason FROM input i WHERE r.id = i.id AND r.scheduled_for = i.scheduled_for "
        + "AND (r.status = 'RUNNING' AND r.token = i.token "
        + "OR r.status = 'PENDING' AND r.token IS NULL AND i.token > coalesce(r.fence, 0)) "
        // only what the follow-ups and the caller need: the caller holds the rest of the run (returning r.* cost
        // Postgres and the node a tenth of a spike's result writes)
        + "RETURNING r.id, r.job_id, r.namespace, r.scheduled_for, r.attempt, r.resource_class, r.task_kind, r.needs, "
        + "r.priority, r.caused_by, r.status, r.token, r.worker, r.started_at, r.finished_at, r.job_version, "
        + "r.cancel_requested_at IS NOT NULL AS cancel_requested, i.retry_ms, i.handler_job_id, i.workers_lost"
        + (notifying ? ", i.notices" : "") + "), "
        + "retry AS (INSERT INTO runs (id, job_id, namespace, scheduled_for, attempt, trigger, status, resource_class, "
        + "task_kind, needs, priority, due_at, context, caused_by, job_version) "
        + "SELECT jobsched_run_id(d.scheduled_for), d.job_id, d.namespace, d.scheduled_for, d.attempt + 1, 'retry', 'PENDING', "
        + "d.resource_class, d.task_kind, d.needs, d.priority, d.finished_at + d.retry_ms * interval '1 millisecond', "
        + "jsonb_build_object('previous_run_id', d.id) || CASE WHEN d.workers_lost > 0 "
        // a retry is another attempt of the same fire: the version that fire was planned with
        + "THEN jsonb_build_object('workers_lost', d.workers_lost) ELSE '{}'::jsonb END, d.caused_by, d.job_version "
        + "FROM done d WHERE d.retry_ms IS NOT NULL "
        + "ON CONFLICT DO NOTHING RETURNING " + FOLLOW_UP + "), "
        + "handler AS (INSERT INTO runs (id, job_id, namespace, scheduled_for, attempt, trigger, status, resource_class, "
        + "task_kind, needs, priority, due_at, context, caused_by, job_version) "
        + "SELECT jobsched_run_id(d.finished_at), j.id, j.namespace, d.finished_at, 1, 'timeout_handler', 'PENDING', "
        + "j.resource_class, j.task_kind, j.needs, j.priority, d.finished_at, "
        + "jsonb_build_object('timed_out_run_id', d.id, 'timed_out_job_id', d.job_id), d.id, j.version "
        // LATERAL: a lookup per result, never a hash of the whole jobs table
        + "FROM done d CROSS JOIN LATERAL (SELECT * FROM jobs WHERE id = d.handler_job_id AND namespace = d.namespace) j "
        // without it the lookup ran for every result (4 buffers each), though only timeouts name a handler
        + "WHERE d.handler_job_id IS NOT NULL "
        + "ON CONFLICT DO NOTHING RETURNING " + FOLLOW_UP + "), "
        + "chained AS (INSERT INTO runs (id, job_id, namespace, scheduled_for, attempt, trigger, status, resource_class, "
        + "task_kind, needs, priority, due_at, context, caused_by, job_version) "
        + "SELECT jobsched_run_id(d.finished_at), j.id, j.namespace, d.finished_at, 1, 'after', 'PENDING', j.resource_class, "
        + "j.task_kind, j.needs, j.priority, d.finished_at, jsonb_build_object('upstream_run_id', d.id, 'upstream_job_id', d.job_id), "
        + "d.id, j.version FROM done d CROSS JOIN LATERAL (SELECT * FROM jobs WHERE after_job_id = d.job_id "
        + "AND namespace = d.namespace AND NOT paused) j "
        + "WHERE d.retry_ms IS NULL AND CASE j.after_on WHEN 'success' THEN d.status = 'SUCCESS' "
        + "WHEN 'failure' THEN d.status IN ('FAILED', 'TIMED_OUT') ELSE true END "
        + "ON CONFLICT DO NOTHING RETURNING " + FOLLOW_UP + ")"
        // a final outcome's notifications, for the results that owe some: durable with the result
        + (notifying ? ", " + Notifications.insertFor("SELECT d.id, d.scheduled_for, d.job_id, d.notices FROM done d "
        + "WHERE d.notices IS NOT NULL") : "") + " "
        // the follow-ups ride on the first row only (the uncorrelated subquery is evaluated once)
        + "SELECT d.id, d.token, d.worker, d.started_at, d.finished_at, d.cancel_requested, CASE WHEN row_number() OVER () = 1 THEN (SELECT json_agg(json_build_object('id', f.id, "
        + "'job_id', f.job_id, 'resource_class', f.resource_class, 'task_kind', f.task_kind, 'due_at', f.due_at, "
        + "'priority', f.priority, 'needs', f.needs)) "
        + "FROM (SELECT * FROM retry UNION ALL SELECT * FROM handler UNION ALL SELECT * FROM chained) f) END AS follow_ups "
        + "FROM done d";
  }

  /**
   * The result of one attempt, as its worker (or the reaper, for a lost worker) decided it. {@code worker},
   * {@code startedNanos} and {@code endedNanos} (when the task started and ended, {@link System#nanoTime()} of
   * this JVM) are known to the worker only; null keeps what the row has. Postgres stamps the times: they are
   * sent as "so long ago", measured once a connection is in hand, so neither a skewed worker clock nor a
   * statement's wait for a connection moves them.
   */
  public record Outcome(UUID runId, Instant scheduledFor, long token, RunStatus status, Integer exitCode, String error,
                        String reason, FollowUp followUp, String worker, Long startedNanos, Long endedNanos) {
    public Outcome {
      if (!status.isTerminal()) {
        throw new IllegalArgumentException("not a terminal status: " + status);
      }
    }

    /** An outcome decided away from the task (a lost worker, a deleted job). */
    public Outcome(UUID runId, Instant scheduledFor, long token, RunStatus status, Integer exitCode, String error,
                   String reason, FollowUp followUp) {
      this(runId, scheduledFor, token, status, exitCode, error, reason, followUp, null, null, null);
    }
  }

  /** What Postgres stamped on a recorded result; the rest of the run is as its settler read it, plus the outcome. */
  public record Settled(long token, String worker, Instant startedAt, Instant finishedAt, boolean cancelRequested) {
    /** The run as recorded: {@code read} (the copy its settler holds) ended with {@code outcome}. */
    public Run applyTo(Run read, Outcome outcome) {
      return new Run(read.id(), read.jobId(), read.namespace(), read.scheduledFor(), read.attempt(), read.trigger(),
          outcome.status(), outcome.reason(), worker, token, read.resourceClass(), read.taskKind(), read.priority(),
          read.dueAt(), read.enqueuedAt(), startedAt, finishedAt, outcome.exitCode(), outcome.error(), read.context(),
          cancelRequested, read.jobVersion(), read.needs());
    }
  }

  /** The results that were recorded (by run id; the others were fenced) and the follow-ups they created. */
  public record Recorded(Map<UUID, Settled> runs, List<QueuedRun> followUps) {}

  /** One recorded result and the follow-up runs it created (already in Postgres, to be queued). */
  public record Finished(Settled settled, List<QueuedRun> followUps) {}

  private final Pool pool;

  public RunResults(Pool pool) {
    this.pool = pool;
  }

  public Future<Recorded> recordAll(List<Outcome> outcomes) {
    boolean notifying = outcomes.stream().anyMatch(o -> !o.followUp().notices().isEmpty());
    return pool.withConnection(conn -> conn.preparedQuery(notifying ? FINISH_NOTIFYING : FINISH)
            .execute(params(outcomes, System.nanoTime())))
        .map(RunResults::recorded);
  }

  static Tuple params(List<Outcome> outcomes, long nowNanos) {
    int n = outcomes.size();
    UUID[] ids = new UUID[n];
    Long[] tokens = new Long[n];
    Long[] retryMs = new Long[n];
    Integer[] exitCodes = new Integer[n];
    String[] statuses = new String[n], errors = new String[n], reasons = new String[n], handlers = new String[n];
    OffsetDateTime[] scheduled = new OffsetDateTime[n];
    Integer[] workersLost = new Integer[n];
    String[] workers = new String[n];
    Long[] startedAgo = new Long[n], endedAgo = new Long[n];
    String[] notices = new String[n];
    boolean notifying = false;
    for (int i = 0; i < n; i++) {
      Outcome o = outcomes.get(i);
      ids[i] = o.runId();
      tokens[i] = o.token();
      statuses[i] = o.status().name();
      exitCodes[i] = o.exitCode();
      errors[i] = o.error();
      reasons[i] = o.reason();
      retryMs[i] = o.followUp().retryAfter() == null ? null : o.followUp().retryAfter().toMillis();
      handlers[i] = o.followUp().handlerJobId();
      scheduled[i] = Times.odt(o.scheduledFor());
      workersLost[i] = o.followUp().workersLost();
      workers[i] = o.worker();
      startedAgo[i] = o.startedNanos() == null ? null : (nowNanos - o.startedNanos()) / 1000;
      endedAgo[i] = o.endedNanos() == null ? null : (nowNanos - o.endedNanos()) / 1000;
      notices[i] = Notifications.encode(o.followUp().notices());
      notifying |= notices[i] != null;
    }
    Tuple params = Tuple.tuple().addArrayOfUUID(ids).addArrayOfLong(tokens).addArrayOfString(statuses)
        .addArrayOfInteger(exitCodes).addArrayOfString(errors).addArrayOfString(reasons).addArrayOfLong(retryMs)
        .addArrayOfString(handlers).addArrayOfOffsetDateTime(scheduled).addArrayOfInteger(workersLost)
        .addArrayOfString(workers).addArrayOfLong(startedAgo).addArrayOfLong(endedAgo);
    // the notifying statement's $14; the plain one has no such parameter
    return notifying ? params.addArrayOfString(notices) : params;
  }

  private static Recorded recorded(io.vertx.sqlclient.RowSet<Row> rows) {
    Map<UUID, Settled> recorded = new HashMap<>();
    List<QueuedRun> followUps = new ArrayList<>();
    for (Row row : rows) {
      recorded.put(row.getUUID("id"), new Settled(row.getLong("token"), row.getString("worker"),
          Times.instant(row.getOffsetDateTime("started_at")), Times.instant(row.getOffsetDateTime("finished_at")),
          row.getBoolean("cancel_requested")));
      if (row.getValue("follow_ups") instanceof JsonArray arr) {
        for (Object o : arr) {
          JsonObject f = (JsonObject) o;
          followUps.add(new QueuedRun(UUID.fromString(f.getString("id")), f.getString("job_id"),
              f.getString("resource_class"), f.getString("task_kind"), OffsetDateTime.parse(f.getString("due_at")).toInstant(),
              f.getInteger("priority"), Needs.fromWire(f.getString("needs"))));
        }
      }
    }
    return new Recorded(recorded, followUps);
  }

  /** One result; empty when its claim was fenced. */
  public Future<Optional<Finished>> record(Outcome outcome) {
    return recordAll(List.of(outcome)).map(r -> Optional.ofNullable(r.runs().get(outcome.runId()))
        .map(settled -> new Finished(settled, r.followUps())));
  }
}
