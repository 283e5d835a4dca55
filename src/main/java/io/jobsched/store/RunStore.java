package io.jobsched.store;

import io.jobsched.job.Needs;
import io.jobsched.queue.Claim;
import io.jobsched.queue.QueuedRun;
import io.jobsched.run.FollowUp;
import io.jobsched.run.Run;
import io.jobsched.run.RunIds;
import io.jobsched.run.RunStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Run rows. Every write after the claim is conditional on the run's fencing token and on it still being
 * RUNNING: zero rows updated means the caller was fenced and its result must be dropped.
 */
public final class RunStore {
  private static final String INSERT_FROM = "INSERT INTO runs (id, job_id, namespace, scheduled_for, attempt, trigger, "
      + "status, reason, resource_class, task_kind, priority, due_at, context, caused_by, finished_at, job_version, needs) "
      + "SELECT u.id, u.job_id, u.namespace, u.scheduled_for, u.attempt, u.trigger, u.status, u.reason, "
      + "u.resource_class, u.task_kind, u.priority, u.due_at, u.context::jsonb, "
      + "coalesce(u.caused_by, '00000000-0000-0000-0000-000000000000'), CASE WHEN u.status = 'SKIPPED' THEN now() END, "
      + "u.job_version, u.needs FROM ";
  private static final String UNNEST_ARRAYS = "UNNEST($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::int[], "
      + "$6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int[], $12::timestamptz[], $13::text[], "
      + "$14::uuid[], $15::bigint[], $16::text[]";
  private static final String UNNEST_NAMES = "id, job_id, namespace, scheduled_for, attempt, trigger, status, reason, "
      + "resource_class, task_kind, priority, due_at, context, caused_by, job_version, needs";
  private static final String INSERT = INSERT_FROM + UNNEST_ARRAYS + ") AS u(" + UNNEST_NAMES + ") "
      + "ON CONFLICT DO NOTHING RETURNING id";
  /**
   * {@link #INSERT} for a batch with a SKIPPED run that owes notifications: they are written with the runs
   * they announce, in one statement. A batch without notices keeps the plain statement, at its old cost.
   */
  static final String INSERT_NOTIFYING = "WITH u AS (SELECT * FROM " + UNNEST_ARRAYS + ", $17::text[]) AS u("
      + UNNEST_NAMES + ", notices)), ins AS (" + INSERT_FROM + "u ON CONFLICT DO NOTHING "
      + "RETURNING id, scheduled_for, job_id), "
      + Notifications.insertFor("SELECT ins.id, ins.scheduled_for, ins.job_id, u.notices FROM ins JOIN u ON u.id = ins.id "
      + "WHERE u.notices IS NOT NULL") + " SELECT id FROM ins";

  /**
   * Claimed runs that are still PENDING, each read in the one partition its id names (the id's millisecond
   * bounds scheduled_for, {@link RunIds}), with its job's current version. A read, not a write: the claim's
   * token reaches Postgres with the run's first write (RUNNING, or its result).
   */
  static final String CLAIMED = claimedFrom("runs");

  /** The claimed read over {@code table}: the parent or one month's table ({@link RunPartitionTables}). */
  static String claimedFrom(String table) {
    // not job_version: the run's own column of that name is the version its fire was planned with
    return "SELECT r.*, (SELECT j.version FROM jobs j WHERE j.id = r.job_id) AS current_job_version "
        + "FROM UNNEST($1::uuid[], $2::timestamptz[]) AS u(id, ms) JOIN " + table + " r ON r.id = u.id "
        + "AND r.scheduled_for >= u.ms AND r.scheduled_for < u.ms + interval '1 millisecond' "
        // a lookup per run, never a join of jobs: with a large batch estimate the planner hashed the whole jobs table
        + "WHERE r.status = 'PENDING'";
  }

  /** See {@link #fence}. */
  static final String FENCE = "UPDATE runs SET fence = greatest(coalesce(fence, 0), $3) "
      + "WHERE id = $1 AND scheduled_for = $2 AND status = 'PENDING' RETURNING id";
  /** See {@link #get}: the partition the id names. */
  static final String BY_ID = byIdIn("runs");

  static String byIdIn(String table) {
    return byId(RunRows.COLUMNS, table, true);
  }

  /**
   * {@code columns} of the run (aliased {@code r}) whose id is $1 in {@code table}; {@code bounded}: only in
   * the millisecond $2 its id names.
   */
  static String byId(String columns, String table, boolean bounded) {
    return "SELECT " + columns + " FROM " + table + " r WHERE id = $1"
        + (bounded ? " AND scheduled_for >= $2 AND scheduled_for < $2 + interval '1 millisecond'" : "");
  }
  /** See {@link #requestCancel}. */
  static final String REQUEST_CANCEL = "UPDATE runs SET "
      + "status = CASE WHEN status = 'PENDING' THEN 'CANCELLED' ELSE status END, "
      + "finished_at = CASE WHEN status = 'PENDING' THEN now() ELSE finished_at END, "
      + "reason = CASE WHEN status = 'PENDING' THEN 'cancelled' ELSE reason END, "
      + "cancel_requested_at = now() WHERE status IN ('PENDING', 'RUNNING') AND id = $1 AND scheduled_for = $2 "
      + "RETURNING " + RunRows.COLUMNS;
  /** See {@link #cancelRequested}. */
  static final String CANCEL_REQUESTED = "SELECT r.id FROM UNNEST($1::uuid[], $2::timestamptz[]) AS u(id, scheduled_for) "
      + "JOIN runs r ON r.id = u.id AND r.scheduled_for = u.scheduled_for WHERE r.cancel_requested_at IS NOT NULL";

  private final Pool pool;

  public RunStore(Pool pool) {
    this.pool = pool;
  }

  /** Inserts runs, skipping any whose (job, scheduled_for, attempt) exists; resolves to the ids inserted. */
  public Future<List<UUID>> insert(SqlClient client, List<NewRun> runs) {
    if (runs.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    int n = runs.size();
    UUID[] ids = new UUID[n];
    String[] jobIds = new String[n], namespaces = new String[n], triggers = new String[n], statuses = new String[n],
        reasons = new String[n], classes = new String[n], kinds = new String[n], contexts = new String[n],
        needs = new String[n];
    UUID[] causes = new UUID[n];
    Long[] versions = new Long[n];
    OffsetDateTime[] scheduled = new OffsetDateTime[n], due = new OffsetDateTime[n];
    Integer[] attempts = new Integer[n], priorities = new Integer[n];
    for (int i = 0; i < n; i++) {
      NewRun r = runs.get(i);
      ids[i] = r.id();
      jobIds[i] = r.jobId();
      namespaces[i] = r.namespace();
      scheduled[i] = Times.odt(r.scheduledFor());
      attempts[i] = r.attempt();
      triggers[i] = r.trigger().wire();
      statuses[i] = r.status().name();
      reasons[i] = r.reason();
      classes[i] = r.resourceClass();
      kinds[i] = r.taskKind();
      priorities[i] = r.priority();
      due[i] = Times.odt(r.dueAt());
      contexts[i] = r.context() == null ? null : r.context().encode();
      causes[i] = r.causedBy();
      versions[i] = r.jobVersion();
      needs[i] = r.needs().wire();
    }
    Tuple params = Tuple.tuple().addArrayOfUUID(ids).addArrayOfString(jobIds).addArrayOfString(namespaces)
        .addArrayOfOffsetDateTime(scheduled).addArrayOfInteger(attempts).addArrayOfString(triggers)
        .addArrayOfString(statuses).addArrayOfString(reasons).addArrayOfString(classes).addArrayOfString(kinds)
        .addArrayOfInteger(priorities).addArrayOfOffsetDateTime(due).addArrayOfString(contexts)
        .addArrayOfUUID(causes).addArrayOfLong(versions).addArrayOfString(needs);
    boolean notifying = runs.stream().anyMatch(r -> !r.notices().isEmpty());
    if (notifying) {
      params.addArrayOfString(runs.stream().map(r -> Notifications.encode(r.notices())).toArray(String[]::new));
    }
    return client.preparedQuery(notifying ? INSERT_NOTIFYING : INSERT).execute(params).map(rows -> {
      List<UUID> inserted = new ArrayList<>(rows.size());
      rows.forEach(row -> inserted.add(row.getUUID(0)));
      return inserted;
    });
  }

  /** A claimed run as Postgres has it, with its job's current version (null when the job was deleted). */
  public record ClaimedRun(Run run, Claim claim, Long jobVersion) {}

  /**
   * The claimed runs that are still PENDING. Claims missing from the result found their run gone or no longer
   * PENDING (a duplicate or stale queue entry): the caller releases them.
   */
  public Future<List<ClaimedRun>> claimed(List<Claim> claims) {
    // one read per month table the claims name: at a month's turn a batch can span two
    java.util.Map<String, List<Claim>> byTable = new java.util.LinkedHashMap<>();
    for (Claim c : claims) {
      byTable.computeIfAbsent(RunPartitionTables.of(RunIds.scheduledMillis(c.runId())), t -> new ArrayList<>()).add(c);
    }
    if (byTable.size() == 1) {
      return claimedIn(byTable.keySet().iterator().next(), claims);
    }
    List<Future<List<ClaimedRun>>> reads = new ArrayList<>();
    byTable.forEach((table, some) -> reads.add(claimedIn(table, some)));
    return Future.all(reads).map(all -> {
      List<ClaimedRun> out = new ArrayList<>();
      reads.forEach(f -> out.addAll(f.result()));
      return out;
    });
  }

  private Future<List<ClaimedRun>> claimedIn(String table, List<Claim> claims) {
    UUID[] ids = new UUID[claims.size()];
    OffsetDateTime[] millis = new OffsetDateTime[claims.size()];
    java.util.Map<UUID, Claim> byRun = new java.util.HashMap<>();
    for (int i = 0; i < claims.size(); i++) {
      ids[i] = claims.get(i).runId();
      millis[i] = Times.odt(RunIds.scheduledMillis(ids[i]));
      byRun.put(ids[i], claims.get(i));
    }
    Tuple params = Tuple.tuple().addArrayOfUUID(ids).addArrayOfOffsetDateTime(millis);
    return RunPartitionTables.query(pool, RunStore::claimedFrom, table, params)
        .map(rows -> {
          List<ClaimedRun> out = new ArrayList<>(rows.size());
          for (Row row : rows) {
            Run run = RunRows.from(row);
            out.add(new ClaimedRun(run, byRun.get(run.id()), row.getLong("current_job_version")));
          }
          return out;
        });
  }

  /**
   * The reaper took a PENDING run from a claim whose lease expired: no write under that claim's token (or an
   * older one) is accepted from now on, so a holder that was only paused cannot finish it beside the next.
   * False when the run is no longer PENDING.
   */
  public Future<Boolean> fence(Run run, long token) {
    return pool.preparedQuery(FENCE)
        .execute(Tuple.of(run.id(), Times.odt(run.scheduledFor()), token))
        .map(rows -> rows.size() == 1);
  }

  /**
   * A run by id: in the partition its id names, else (an id made before ids carried the fire time, or
   * none at all) in every partition.
   */
  public Future<Optional<Run>> get(UUID runId) {
    return rowById(pool, runId, RunRows.COLUMNS).map(row -> row.map(RunRows::from));
  }

  /** {@code columns} of a run by id, found as {@link #get} finds it. */
  static Future<Optional<Row>> rowById(SqlClient client, UUID runId, String columns) {
    Instant ms = RunIds.scheduledMillis(runId);
    return RunPartitionTables.query(client, table -> byId(columns, table, true), RunPartitionTables.of(ms),
            Tuple.of(runId, Times.odt(ms)))
        .compose(rows -> rows.size() > 0 ? Future.succeededFuture(rows)
            : client.preparedQuery(byId(columns, "runs", false)).execute(Tuple.of(runId)))
        .map(rows -> rows.size() == 0 ? Optional.<Row>empty() : Optional.of(rows.iterator().next()));
  }

  /**
   * PENDING runs due within {@code ahead} (negative: overdue by that much) that were enqueued at least
   * {@code settled} ago, oldest first: the candidates to put back into Redis if Redis lost them.
   */
  public Future<List<QueuedRun>> pendingDue(Duration ahead, Duration settled, int limit) {
    return pool.preparedQuery("SELECT id, job_id, resource_class, task_kind, due_at, priority, needs FROM runs "
            + "WHERE finished_at IS NULL AND status = 'PENDING' AND due_at <= now() + $1::bigint * interval '1 millisecond' AND enqueued_at <= now() - $2::bigint * interval '1 millisecond' "
            + "ORDER BY due_at LIMIT $3")
        .execute(Tuple.of(ahead.toMillis(), settled.toMillis(), limit))
        .map(rows -> {
          List<QueuedRun> out = new ArrayList<>(rows.size());
          for (Row r : rows) {
            out.add(new QueuedRun(r.getUUID("id"), r.getString("job_id"), r.getString("resource_class"),
                r.getString("task_kind"), Times.instant(r.getOffsetDateTime("due_at")), r.getInteger("priority"),
                Needs.fromWire(r.getString("needs"))));
          }
          return out;
        });
  }

  private static final int SHAPES_SAMPLED = 100_000;
  private static final int SHAPES_TIMEOUT_MS = 2_000;

  /** How many due PENDING runs wait in one queue shape: class, kind and needs. */
  public record PendingShape(String resourceClass, String taskKind, Needs needs, long count) {}

  /**
   * Due PENDING runs counted by queue shape, the oldest {@value #SHAPES_SAMPLED} at most. {@code finished_at IS
   * NULL} puts it on the unfinished runs' partial index of each month: without it (status alone) every month's
   * table was scanned whole, a minute each at a year of history, and a periodic sample piled up behind the last.
   * The statement timeout bounds it whatever plan Postgres picks (a month loaded but not yet analysed).
   */
  public Future<List<PendingShape>> pendingShapes() {
    return pool.withTransaction(conn -> conn.query("SET LOCAL statement_timeout = " + SHAPES_TIMEOUT_MS).execute()
        .compose(v -> conn.query("SELECT resource_class, task_kind, needs, count(*) AS n FROM (SELECT resource_class, "
            + "task_kind, needs FROM runs WHERE finished_at IS NULL AND status = 'PENDING' AND due_at <= now() "
            + "ORDER BY due_at LIMIT " + SHAPES_SAMPLED + ") p GROUP BY resource_class, task_kind, needs").execute()))
        .map(rows -> {
          List<PendingShape> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(new PendingShape(r.getString(0), r.getString(1), Needs.fromWire(r.getString(2)),
              r.getLong(3))));
          return out;
        });
  }

  /** A page of a job's runs, newest first, strictly after {@code after} in that order (null: from the top). */
  public Future<List<Run>> listForJob(String jobId, RunStatus status, java.time.Instant since,
                                      java.time.Instant until, RunCursor after, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + RunRows.COLUMNS + " FROM runs WHERE job_id = $1");
    Tuple params = Tuple.of(jobId);
    if (status != null) {
      params.addString(status.name());
      sql.append(" AND status = $").append(params.size());
    }
    if (since != null) {
      params.addOffsetDateTime(Times.odt(since));
      sql.append(" AND scheduled_for >= $").append(params.size());
    }
    if (until != null) {
      params.addOffsetDateTime(Times.odt(until));
      sql.append(" AND scheduled_for < $").append(params.size());
    }
    if (after != null) {
      params.addOffsetDateTime(Times.odt(after.scheduledFor())).addInteger(after.attempt()).addUUID(after.id());
      int n = params.size();
      sql.append(" AND (scheduled_for, attempt, id) < ($").append(n - 2).append(", $").append(n - 1)
          .append(", $").append(n).append(")");
    }
    params.addInteger(limit);
    sql.append(" ORDER BY scheduled_for DESC, attempt DESC, id DESC LIMIT $").append(params.size());
    return pool.preparedQuery(sql.toString()).execute(params).map(rows -> {
      List<Run> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(RunRows.from(r)));
      return out;
    });
  }

  /**
   * Cancels a run: a PENDING one at once (the worker's PENDING check then refuses it); a RUNNING one is
   * marked as asked to stop, for its worker to act on. Resolves to the run after the change, or empty
   * when it was already finished.
   */
  public Future<Optional<Run>> requestCancel(Run run) {
    return pool.preparedQuery(REQUEST_CANCEL)
        .execute(Tuple.of(run.id(), Times.odt(run.scheduledFor())))
        .map(rows -> rows.size() == 0 ? Optional.<Run>empty() : Optional.of(RunRows.from(rows.iterator().next())));
  }

  /** Which of these runs have a cancel request recorded (covers a cancel message that never arrived). */
  public Future<java.util.Set<UUID>> cancelRequested(java.util.Collection<Run> runs) {
    UUID[] ids = runs.stream().map(Run::id).toArray(UUID[]::new);
    OffsetDateTime[] scheduled = runs.stream().map(r -> Times.odt(r.scheduledFor())).toArray(OffsetDateTime[]::new);
    return pool.preparedQuery(CANCEL_REQUESTED)
        .execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfOffsetDateTime(scheduled))
        .map(rows -> {
          java.util.Set<UUID> out = new java.util.HashSet<>();
          rows.forEach(r -> out.add(r.getUUID(0)));
          return out;
        });
  }
}
