package io.jobsched.store;

import io.jobsched.job.NotifyEvent;
import io.jobsched.job.NotifyTarget;
import io.jobsched.run.Notice;
import io.jobsched.run.Run;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The notification outbox ({@code notifications}): one row per (run, rule) a final outcome owes, written in
 * the statement that records the outcome ({@link #insertFor}), so an acknowledged outcome never loses its
 * notifications and a repeated statement never doubles them (unique run and rule). Dispatchers claim due
 * rows with {@code FOR UPDATE SKIP LOCKED} and lease them by pushing {@code next_attempt_at} ahead, so a
 * dispatcher that dies mid-send leaves its rows to another once the lease passes (at-least-once delivery).
 */
public final class Notifications {
  /** A row as the dispatcher and the API see it. {@code attempts} counts claims, the current one included. */
  public record Notification(UUID id, UUID runId, String jobId, int rule, NotifyEvent event, NotifyTarget target,
                             String status, int attempts, String lastError, Instant sentAt) {}

  private static final String COLUMNS = "id, run_id, job_id, rule_index, event, target, status, attempts, last_error, sent_at";
  /** The notifications of the run aliased {@code r}, a json array in rule order (null for none). */
  private static final String OF_RUN = "(SELECT json_agg(json_build_object('id', n.id, 'run_id', n.run_id, "
      + "'job_id', n.job_id, 'rule_index', n.rule_index, 'event', n.event, 'target', n.target, 'status', n.status, "
      + "'attempts', n.attempts, 'last_error', n.last_error, 'sent_at', n.sent_at) ORDER BY n.rule_index) "
      + "FROM notifications n WHERE n.run_id = r.id)";
  /** A run's columns and its notifications ({@link RunStore#byId}). */
  static final String RUN_COLUMNS = RunRows.COLUMNS + ", " + OF_RUN + " AS notifications";

  private final Pool pool;

  public Notifications(Pool pool) {
    this.pool = pool;
  }

  /**
   * A CTE ({@code notified AS (…)}) inserting the notices of {@code source}, a query of (run id,
   * scheduled_for, job id, notices as {@link #encode} wrote them).
   */
  static String insertFor(String source) {
    return "notified AS (INSERT INTO notifications (run_id, run_scheduled_for, job_id, rule_index, event, target) "
        + "SELECT s.run_id, s.scheduled_for, s.job_id, (e->>'rule')::int, e->>'event', e->'target' "
        + "FROM (" + source + ") AS s(run_id, scheduled_for, job_id, notices) "
        + "CROSS JOIN LATERAL jsonb_array_elements(s.notices::jsonb) e ON CONFLICT DO NOTHING)";
  }

  /** The notices as one statement parameter; null for none (the common case, which inserts nothing). */
  static String encode(List<Notice> notices) {
    if (notices.isEmpty()) {
      return null;
    }
    JsonArray out = new JsonArray();
    for (Notice n : notices) {
      out.add(new JsonObject().put("rule", n.rule()).put("event", n.event().wire()).put("target", targetJson(n.target())));
    }
    return out.encode();
  }

  static JsonObject targetJson(NotifyTarget target) {
    if (target instanceof NotifyTarget.Webhook w) {
      return new JsonObject().put("type", "webhook").put("url", w.url())
          .put("headers", new JsonObject(new LinkedHashMap<>(w.headers())));
    }
    return new JsonObject().put("type", "eventbus").put("address", ((NotifyTarget.EventBus) target).address());
  }

  static NotifyTarget target(JsonObject json) {
    if ("eventbus".equals(json.getString("type"))) {
      return new NotifyTarget.EventBus(json.getString("address"));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    JsonObject h = json.getJsonObject("headers", new JsonObject());
    h.fieldNames().forEach(k -> headers.put(k, h.getString(k)));
    return new NotifyTarget.Webhook(json.getString("url"), headers);
  }

  /**
   * Claims up to {@code limit} due pending rows: counts the attempt and leases the row for {@code leaseMs}
   * (its next_attempt_at moves past the send), all in one statement.
   */
  public Future<List<Notification>> claimDue(int limit, long leaseMs) {
    return pool.preparedQuery("UPDATE notifications n SET attempts = n.attempts + 1, "
            + "next_attempt_at = now() + $2 * interval '1 millisecond' FROM (SELECT id FROM notifications "
            + "WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1 "
            + "FOR UPDATE SKIP LOCKED) due WHERE n.id = due.id RETURNING " + prefixed("n."))
        .execute(Tuple.of(limit, leaseMs)).map(Notifications::rows);
  }

  /** Delivered (last_error keeps why earlier attempts failed). A row already settled (another dispatcher took over a lapsed lease and finished) stays as is. */
  public Future<Boolean> markSent(UUID id) {
    return pool.preparedQuery("UPDATE notifications SET status = 'sent', sent_at = now() "
            + "WHERE id = $1 AND status = 'pending' RETURNING id")
        .execute(Tuple.of(id)).map(rows -> rows.size() == 1);
  }

  /**
   * Attempt {@code attempt} failed with {@code error}: try again in {@code retryInMs}, or give up (status
   * failed) when it is null. Only the attempt that still holds the row may say so.
   */
  public Future<Boolean> markAttemptFailed(UUID id, int attempt, String error, Long retryInMs) {
    return pool.preparedQuery("UPDATE notifications SET last_error = $3, "
            + "status = CASE WHEN $4::bigint IS NULL THEN 'failed' ELSE 'pending' END, "
            + "next_attempt_at = now() + coalesce($4::bigint, 0) * interval '1 millisecond' "
            + "WHERE id = $1 AND attempts = $2 AND status = 'pending' RETURNING id")
        .execute(Tuple.of(id, attempt, error, retryInMs)).map(rows -> rows.size() == 1);
  }

  /**
   * Deletes up to {@code limit} settled (sent or failed) rows created more than {@code keepDays} ago; resolves
   * to how many. Pending rows are never pruned, however old.
   */
  public Future<Integer> prune(int keepDays, int limit) {
    return pool.preparedQuery("DELETE FROM notifications WHERE id IN (SELECT id FROM notifications "
            + "WHERE status <> 'pending' AND created_at < now() - $1 * interval '1 day' ORDER BY created_at LIMIT $2)")
        .execute(Tuple.of(keepDays, limit)).map(rows -> rows.rowCount());
  }

  /** A run and the notifications its outcome owed (in rule order; empty when its job had no rule for it). */
  public record NoticedRun(Run run, List<Notification> notifications) {}

  /**
   * A run by id, as {@link RunStore#get} finds it, with its notifications: one statement, the notifications a
   * column of the run's row (a second query beside it had been the larger part of a lookup's tail).
   */
  public Future<Optional<NoticedRun>> runWithNotifications(UUID runId) {
    return RunStore.rowById(pool, runId, RUN_COLUMNS)
        .map(row -> row.map(r -> new NoticedRun(RunRows.from(r), fromJson(r.getValue("notifications")))));
  }

  private static List<Notification> fromJson(Object column) {
    if (column == null) {
      return List.of();
    }
    JsonArray array = column instanceof JsonArray a ? a : new JsonArray(String.valueOf(column));
    List<Notification> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonObject n = array.getJsonObject(i);
      String sentAt = n.getString("sent_at");
      out.add(new Notification(UUID.fromString(n.getString("id")), UUID.fromString(n.getString("run_id")),
          n.getString("job_id"), n.getInteger("rule_index"), NotifyEvent.valueOf(n.getString("event").toUpperCase()),
          target(n.getJsonObject("target")), n.getString("status"), n.getInteger("attempts"), n.getString("last_error"),
          sentAt == null ? null : java.time.OffsetDateTime.parse(sentAt).toInstant()));
    }
    return out;
  }

  private static String prefixed(String alias) {
    return alias + COLUMNS.replace(", ", ", " + alias);
  }

  private static List<Notification> rows(RowSet<Row> rows) {
    List<Notification> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Object target = r.getValue("target");
      out.add(new Notification(r.getUUID("id"), r.getUUID("run_id"), r.getString("job_id"), r.getInteger("rule_index"),
          NotifyEvent.valueOf(r.getString("event").toUpperCase()),
          target(target instanceof JsonObject o ? o : new JsonObject(String.valueOf(target))), r.getString("status"),
          r.getInteger("attempts"), r.getString("last_error"), Times.instant(r.getOffsetDateTime("sent_at"))));
    }
    return out;
  }
}
