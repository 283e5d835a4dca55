package io.jobsched.store;

import io.jobsched.api.json.JobCodec;
import io.jobsched.job.AfterSchedule;
import io.jobsched.job.Job;
import io.jobsched.queue.Partitions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.Optional;

/** Job rows: the definition as JSON plus the columns the scheduler and list queries filter on. */
public final class JobStore {
  static final String COLUMNS = "id, spec, version, paused, next_fire_at, created_at, updated_at";

  private final Pool pool;
  private final int shards;

  public JobStore(Pool pool, int shards) {
    this.pool = pool;
    this.shards = shards;
  }

  public Pool pool() {
    return pool;
  }

  public int shardOf(String jobId) {
    return Partitions.bucket(jobId, shards);
  }

  /** The database clock: fires and schedules are computed on it, never on a node's own clock. */
  public Future<Instant> now(SqlClient client) {
    return client.query("SELECT now()").execute()
        .map(rows -> Times.instant(rows.iterator().next().getOffsetDateTime(0)));
  }

  /** Inserts a new job; empty when the id is taken. */
  public Future<Optional<StoredJob>> insert(SqlClient client, Job job, Instant nextFireAt) {
    String afterJob = job.schedule() instanceof AfterSchedule a ? a.jobId() : null;
    Tuple params = Tuple.tuple()
        .addString(job.id()).addString(job.namespace()).addString(job.name())
        .addValue(new JsonObject(new java.util.LinkedHashMap<>(job.labels())))
        .addValue(JobCodec.toJson(job))
        .addString(job.schedule().type()).addString(afterJob).addString(job.resourceClass())
        .addInteger(job.priority()).addOffsetDateTime(Times.odt(nextFireAt)).addInteger(shardOf(job.id()));
    return client.preparedQuery("INSERT INTO jobs (id, namespace, name, labels, spec, schedule_type, after_job_id, "
            + "resource_class, priority, next_fire_at, shard) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
            + "ON CONFLICT (id) DO NOTHING RETURNING " + COLUMNS)
        .execute(params)
        .map(JobStore::first);
  }

  public Future<Optional<StoredJob>> get(SqlClient client, String id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM jobs WHERE id = $1")
        .execute(Tuple.of(id))
        .map(JobStore::first);
  }

  static Optional<StoredJob> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(from(rows.iterator().next()));
  }

  static StoredJob from(Row r) {
    JsonObject spec = (JsonObject) r.getValue("spec");
    Job job = JobCodec.parse(spec, r.getString("id"));
    return new StoredJob(job, r.getLong("version"), r.getBoolean("paused"),
        Times.instant(r.getOffsetDateTime("next_fire_at")), Times.instant(r.getOffsetDateTime("created_at")),
        Times.instant(r.getOffsetDateTime("updated_at")));
  }
}
