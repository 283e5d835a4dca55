package io.jobsched.store;

import io.jobsched.job.AfterSchedule;
import io.jobsched.job.Job;
import io.jobsched.queue.Partitions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
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
 * Job rows: the definition as a {@link JobDocument} plus the columns the scheduler and the queries filter
 * on. Definitions are parsed once per version ({@link JobCache}).
 */
public final class JobStore {
  /**
   * The job's last run ({@link StoredJob.LastRun}), a correlated lookup per job row (also in RETURNING):
   * backward scans of the (job_id, scheduled_for, attempt) unique index, one probe per partition searched.
   * The last 7 days first, which prunes to the newest one or two partitions and finds the run of any active
   * job; only a job without a run in that window pays a probe of every partition. A page of 1,000 jobs
   * stays a few thousand index probes, never a scan of anyone's history.
   */
  private static final String LAST_RUN_OF = "SELECT jsonb_build_object('id', r.id, 'status', r.status, "
      + "'scheduled_for', r.scheduled_for, 'finished_at', r.finished_at) FROM runs r "
      + "WHERE r.job_id = jobs.id AND r.scheduled_for <= now() ";
  private static final String NEWEST = " ORDER BY r.scheduled_for DESC, r.attempt DESC LIMIT 1";
  static final String LAST_RUN = "COALESCE((" + LAST_RUN_OF + "AND r.scheduled_for > now() - interval '7 days'"
      + NEWEST + "), (" + LAST_RUN_OF + NEWEST + ")) AS last_run";
  static final String COLUMNS = "id, spec::text AS spec, version, paused, next_fire_at, created_at, updated_at, "
      + LAST_RUN;

  private final Pool pool;
  private final int shards;
  private final JobCache cache;

  public JobStore(Pool pool, int shards, JobCache cache) {
    this.pool = pool;
    this.shards = shards;
    this.cache = cache;
  }

  /** The definition of job {@code id} at {@code version}, its stored {@code document} parsed only when not cached. */
  public Job definition(String id, long version, String document) {
    return cache.get(id, version, document);
  }

  public Pool pool() {
    return pool;
  }

  public int shardOf(String jobId) {
    return Partitions.bucket(jobId, shards);
  }

  /**
   * The definitions of these jobs at the given versions: cached ones at once, the others in one query (at
   * their current version, should they have changed since). A deleted job is missing from the answer.
   */
  public Future<Map<String, Job>> definitions(Map<String, Long> versions) {
    Map<String, Job> found = new HashMap<>();
    List<String> missing = new ArrayList<>();
    versions.forEach((id, version) -> {
      Job cached = cache.cached(id, version);
      if (cached != null) {
        found.put(id, cached);
      } else {
        missing.add(id);
      }
    });
    if (missing.isEmpty()) {
      return Future.succeededFuture(found);
    }
    return pool.preparedQuery("SELECT id, version, spec::text AS spec FROM jobs WHERE id = ANY($1)")
        .execute(Tuple.tuple().addArrayOfString(missing.toArray(String[]::new)))
        .map(rows -> {
          rows.forEach(r -> found.put(r.getString("id"),
              definition(r.getString("id"), r.getLong("version"), r.getString("spec"))));
          return found;
        });
  }

  /** The database clock: fires and schedules are computed on it, never on a node's own clock. */
  public Future<Instant> now(SqlClient client) {
    return client.query("SELECT now()").execute()
        .map(rows -> Times.instant(rows.iterator().next().getOffsetDateTime(0)));
  }

  /**
   * How the versions written by {@link #insertAll} are recorded: the change ({@code create}, or {@code rollback}
   * restoring a deleted job), the fields it changed (one list for the whole batch), who, and for a rollback
   * the version restored (else null).
   */
  public record VersionNote(io.jobsched.job.JobChange change, List<String> changedFields, String changedBy,
                            Long restoredFrom) {}

  /**
   * Inserts new jobs and their first recorded versions in one statement, each with its first fire from
   * {@code now}; resolves to those inserted (a job whose id is taken is missing from the answer, and has no
   * version row). A job's first version is 1, or for an id whose job was deleted, the deleted job's last
   * version + 1 (one probe of the job_versions key per job), so (id, version) never names two definitions.
   */
  public Future<List<StoredJob>> insertAll(SqlClient client, List<Job> jobs, Instant now, VersionNote note) {
    int n = jobs.size();
    String[] ids = new String[n], namespaces = new String[n], names = new String[n], labels = new String[n],
        specs = new String[n], types = new String[n], afterIds = new String[n], afterOns = new String[n],
        kinds = new String[n], classes = new String[n], needs = new String[n];
    Integer[] priorities = new Integer[n], shardsOf = new Integer[n];
    OffsetDateTime[] firstFires = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Job job = jobs.get(i);
      AfterSchedule after = job.schedule() instanceof AfterSchedule a ? a : null;
      ids[i] = job.id();
      namespaces[i] = job.namespace();
      names[i] = job.name();
      labels[i] = new JsonObject(new java.util.LinkedHashMap<>(job.labels())).encode();
      specs[i] = JobDocument.write(job);
      types[i] = job.schedule().type();
      afterIds[i] = after == null ? null : after.jobId();
      afterOns[i] = after == null ? null : after.on().name().toLowerCase();
      kinds[i] = job.task().type();
      classes[i] = job.resourceClass();
      needs[i] = job.needs().wire();
      priorities[i] = job.priority();
      firstFires[i] = Times.odt(job.schedule().firstFire(now).orElse(null));
      shardsOf[i] = shardOf(job.id());
    }
    return client.preparedQuery("WITH ins AS (INSERT INTO jobs (id, namespace, name, labels, spec, schedule_type, "
            + "after_job_id, after_on, task_kind, resource_class, priority, next_fire_at, shard, needs, version) "
            + "SELECT u.id, u.namespace, u.name, u.labels::jsonb, u.spec::jsonb, u.schedule_type, u.after_job_id, "
            + "u.after_on, u.task_kind, u.resource_class, u.priority, u.next_fire_at, u.shard, u.needs, "
            + "coalesce((SELECT max(v.version) FROM job_versions v WHERE v.job_id = u.id), 0) + 1 "
            + "FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], "
            + "$8::text[], $9::text[], $10::text[], $11::int[], $12::timestamptz[], $13::int[], $18::text[]) AS u(id, "
            + "namespace, name, labels, spec, schedule_type, after_job_id, after_on, task_kind, resource_class, "
            // not COLUMNS: the caller has the definitions, and a new job has no last run (that lookup probed
            // every run partition per job, as no run of it is in the last 7 days)
            + "priority, next_fire_at, shard, needs) ON CONFLICT (id) DO NOTHING RETURNING id, namespace, spec, version, paused, "
            + "next_fire_at, created_at, updated_at), "
            // the versions ride on the insert: the rows it inserted only, no second round trip
            + "ver AS (INSERT INTO job_versions (job_id, version, namespace, change, spec, paused, changed_fields, "
            + "changed_by, changed_at, restored_from) SELECT id, version, namespace, $14, spec, paused, "
            + "$15::text::jsonb, $16, created_at, $17 FROM ins) "
            + "SELECT id, version, paused, next_fire_at, created_at, updated_at FROM ins")
        .execute(Tuple.tuple().addArrayOfString(ids).addArrayOfString(namespaces).addArrayOfString(names)
            .addArrayOfString(labels).addArrayOfString(specs).addArrayOfString(types).addArrayOfString(afterIds)
            .addArrayOfString(afterOns).addArrayOfString(kinds).addArrayOfString(classes)
            .addArrayOfInteger(priorities).addArrayOfOffsetDateTime(firstFires).addArrayOfInteger(shardsOf)
            .addString(note.change().wire()).addString(new JsonArray(note.changedFields()).encode())
            .addString(note.changedBy()).addLong(note.restoredFrom()).addArrayOfString(needs))
        .map(rows -> {
          Map<String, Job> byId = new HashMap<>();
          jobs.forEach(j -> byId.put(j.id(), j));
          List<StoredJob> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(new StoredJob(byId.get(r.getString("id")), r.getLong("version"),
              r.getBoolean("paused"), Times.instant(r.getOffsetDateTime("next_fire_at")),
              Times.instant(r.getOffsetDateTime("created_at")), Times.instant(r.getOffsetDateTime("updated_at")), null)));
          return out;
        });
  }

  /** The namespace of each of these jobs that exists. */
  public Future<Map<String, String>> namespacesOf(SqlClient client, java.util.Collection<String> ids) {
    return client.preparedQuery("SELECT id, namespace FROM jobs WHERE id = ANY($1)")
        .execute(Tuple.tuple().addArrayOfString(ids.toArray(String[]::new)))
        .map(rows -> {
          Map<String, String> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getString(0), r.getString(1)));
          return out;
        });
  }

  /**
   * $1..$12: id, namespace, name, labels, spec, schedule_type, after_job_id, after_on, task_kind,
   * resource_class, priority, next_fire_at.
   */
  private static Tuple definition(Job job, Instant nextFireAt) {
    AfterSchedule after = job.schedule() instanceof AfterSchedule a ? a : null;
    return Tuple.tuple()
        .addString(job.id()).addString(job.namespace()).addString(job.name())
        .addValue(new JsonObject(new java.util.LinkedHashMap<>(job.labels())))
        .addString(JobDocument.write(job))
        .addString(job.schedule().type()).addString(after == null ? null : after.jobId())
        .addString(after == null ? null : after.on().name().toLowerCase()).addString(job.task().type())
        .addString(job.resourceClass()).addInteger(job.priority()).addOffsetDateTime(Times.odt(nextFireAt));
  }

  public Future<Optional<StoredJob>> get(SqlClient client, String id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM jobs WHERE id = $1")
        .execute(Tuple.of(id))
        .map(this::first);
  }

  /**
   * The job, its row locked until {@code client}'s transaction ends: a change read-modify-written under it
   * (a replace and its recorded version) cannot interleave with another change of the same job.
   */
  public Future<Optional<StoredJob>> getLocked(SqlClient client, String id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM jobs WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .map(this::first);
  }

  /**
   * Replaces a job's definition if {@code expectedVersion} (null: any) matches; bumps the version.
   * {@code nextFireAt} is the new schedule's next fire, or null to keep the current one.
   */
  public Future<Optional<StoredJob>> replace(SqlClient client, Job job, Instant nextFireAt, boolean keepNextFire,
                                             Long expectedVersion) {
    Tuple params = definition(job, nextFireAt).addBoolean(keepNextFire).addLong(expectedVersion)
        .addString(job.needs().wire());
    return client.preparedQuery("UPDATE jobs SET namespace = $2, name = $3, labels = $4, spec = $5::text::jsonb, "
            + "schedule_type = $6, after_job_id = $7, after_on = $8, task_kind = $9, resource_class = $10, "
            + "priority = $11, needs = $15, next_fire_at = CASE WHEN $13 THEN next_fire_at ELSE $12 END, "
            + "version = version + 1, "
            + "updated_at = now() WHERE id = $1 AND ($14::bigint IS NULL OR version = $14) RETURNING " + COLUMNS)
        .execute(params)
        .map(this::first);
  }

  /**
   * Whether {@code jobId} is {@code upstreamId} or runs (transitively) before it: making {@code jobId} run
   * after {@code upstreamId} would then close a cycle.
   */
  public Future<Boolean> wouldCloseCycle(SqlClient client, String upstreamId, String jobId) {
    return client.preparedQuery("WITH RECURSIVE chain(id, depth) AS (SELECT $1::text, 0 UNION ALL "
            + "SELECT j.after_job_id, c.depth + 1 FROM jobs j JOIN chain c ON j.id = c.id "
            + "WHERE j.after_job_id IS NOT NULL AND c.depth < 10000) "
            + "SELECT EXISTS (SELECT 1 FROM chain WHERE id = $2)")
        .execute(Tuple.of(upstreamId, jobId))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /**
   * Deletes the job and, in the same statement, records its version {@code delete} (the last definition, one
   * number above the job's), {@code changedBy} as who. False when there was no such job.
   */
  public Future<Boolean> delete(SqlClient client, String id, String changedBy) {
    return client.preparedQuery("WITH d AS (DELETE FROM jobs WHERE id = $1 RETURNING id, version, namespace, spec, paused) "
            + "INSERT INTO job_versions (job_id, version, namespace, change, spec, paused, changed_fields, changed_by) "
            + "SELECT id, version + 1, namespace, 'delete', spec, paused, '[]'::jsonb, $2 FROM d")
        .execute(Tuple.of(id, changedBy)).map(rows -> rows.rowCount() == 1);
  }

  /**
   * A paused or resumed job, and the runs the pause skipped (for workers that may hold them to be told).
   * {@code changed}: the job was not in that state already (its version went up).
   */
  public record PauseChange(Optional<StoredJob> job, boolean changed, List<UUID> skippedRuns) {}

  /**
   * Pauses or resumes. Pausing also skips (reason {@code paused}, cancel recorded) the runs the look-ahead
   * already created but that are not due yet, so no new run starts once the pause is acknowledged; a worker
   * holding one for its instant is told by the caller, or finds the recorded cancel at its next heartbeat.
   * Resuming keeps next_fire_at, so fires missed meanwhile go through the misfire policy. Runs in the
   * caller's transaction, which records the version when {@link PauseChange#changed()}.
   */
  public Future<PauseChange> setPaused(SqlClient conn, String id, boolean paused) {
    // the old state read under the row lock the update takes: whether this call changed it (and so owes a version)
    return conn.preparedQuery("WITH old AS (SELECT id AS old_id, paused AS was_paused FROM jobs WHERE id = $1 FOR UPDATE) "
            + "UPDATE jobs SET paused = $2, "
            + "version = CASE WHEN paused = $2 THEN version ELSE version + 1 END, "
            + "updated_at = CASE WHEN paused = $2 THEN updated_at ELSE now() END "
            + "FROM old WHERE id = old.old_id RETURNING " + COLUMNS + ", old.was_paused")
        .execute(Tuple.of(id, paused))
        .map(rows -> {
          boolean changed = rows.size() == 1 && rows.iterator().next().getBoolean("was_paused") != paused;
          return new PauseChange(first(rows), changed, List.of());
        })
        .compose(change -> change.job().isEmpty() || !paused ? Future.succeededFuture(change)
            : conn.preparedQuery("UPDATE runs SET status = 'SKIPPED', reason = 'paused', finished_at = now(), "
                + "cancel_requested_at = now() "
                + "WHERE job_id = $1 AND finished_at IS NULL AND status = 'PENDING' AND scheduled_for > now() RETURNING id")
            .execute(Tuple.of(id)).map(rows -> {
              List<UUID> skipped = new ArrayList<>();
              rows.forEach(r -> skipped.add(r.getUUID(0)));
              return new PauseChange(change.job(), change.changed(), skipped);
            }));
  }

  /**
   * A page of jobs ordered by id, after {@code afterId} (null: from the start); namespaces null = all.
   * {@code text} (nullable) keeps jobs whose id or name contains it, ignoring case. Matched on the
   * walk of the primary key in id order that every page is, so a page costs the rows walked until it is full:
   * measured with 100,000 jobs in README (Dashboard), a text that matches nothing walks them all once.
   */
  public Future<java.util.List<StoredJob>> list(java.util.List<String> namespaces, Boolean paused, JsonObject labels,
                                                String text, String afterId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM jobs WHERE true");
    Tuple params = Tuple.tuple();
    if (namespaces != null) {
      params.addArrayOfString(namespaces.toArray(String[]::new));
      sql.append(" AND namespace = ANY($").append(params.size()).append(")");
    }
    if (paused != null) {
      params.addBoolean(paused);
      sql.append(" AND paused = $").append(params.size());
    }
    if (labels != null && !labels.isEmpty()) {
      params.addValue(labels);
      sql.append(" AND labels @> $").append(params.size()).append("::jsonb");
    }
    if (text != null && !text.isEmpty()) {
      params.addString("%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
      sql.append(" AND (id ILIKE $").append(params.size()).append(" OR name ILIKE $").append(params.size()).append(")");
    }
    if (afterId != null) {
      params.addString(afterId);
      sql.append(" AND id > $").append(params.size());
    }
    params.addInteger(limit);
    sql.append(" ORDER BY id LIMIT $").append(params.size());
    return pool.preparedQuery(sql.toString()).execute(params).map(rows -> {
      java.util.List<StoredJob> out = new java.util.ArrayList<>(rows.size());
      rows.forEach(r -> out.add(from(r)));
      return out;
    });
  }

  private Optional<StoredJob> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(from(rows.iterator().next()));
  }

  private StoredJob from(Row r) {
    Job job = definition(r.getString("id"), r.getLong("version"), r.getString("spec"));
    return new StoredJob(job, r.getLong("version"), r.getBoolean("paused"),
        Times.instant(r.getOffsetDateTime("next_fire_at")), Times.instant(r.getOffsetDateTime("created_at")),
        Times.instant(r.getOffsetDateTime("updated_at")), lastRun(r.getValue("last_run")));
  }

  /** The {@link #LAST_RUN} column: jsonb with timestamps as ISO 8601 in the session's zone. */
  private static StoredJob.LastRun lastRun(Object column) {
    if (!(column instanceof JsonObject o)) {
      return null;
    }
    String finished = o.getString("finished_at");
    return new StoredJob.LastRun(java.util.UUID.fromString(o.getString("id")),
        io.jobsched.run.RunStatus.valueOf(o.getString("status")),
        java.time.OffsetDateTime.parse(o.getString("scheduled_for")).toInstant(),
        finished == null ? null : java.time.OffsetDateTime.parse(finished).toInstant());
  }
}
