package io.jobsched.store;

import io.jobsched.job.JobChange;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code job_versions} table: the audit trail of job definitions. Rows are only ever inserted, each in the
 * transaction of the change it records, by the statement (or right after the statement) that took the job
 * row's lock, so two changes of one job can never claim one number; (job_id, version) is the primary key
 * besides. Creates write theirs in {@link JobStore#insertAll} (one statement for a whole batch).
 */
public final class JobVersions {
  static final String COLUMNS = "job_id, version, namespace, change, spec::text AS spec, paused, changed_fields, "
      + "changed_by, changed_at, restored_from";

  private final Pool pool;
  private final JobStore jobs;

  public JobVersions(JobStore jobs) {
    this.pool = jobs.pool();
    this.jobs = jobs;
  }

  /**
   * Records {@code stored} (as it is after the change, the job row locked by {@code client}'s transaction) as
   * its version {@code stored.version()}.
   */
  public Future<Void> record(SqlClient client, StoredJob stored, JobChange change, List<String> changedFields,
                             String changedBy, Long restoredFrom) {
    return client.preparedQuery("INSERT INTO job_versions (job_id, version, namespace, change, spec, paused, "
            + "changed_fields, changed_by, restored_from) VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7::text::jsonb, $8, $9)")
        .execute(Tuple.tuple().addString(stored.job().id()).addLong(stored.version()).addString(stored.job().namespace())
            .addString(change.wire()).addString(JobDocument.write(stored.job())).addBoolean(stored.paused())
            .addString(new JsonArray(changedFields).encode()).addString(changedBy).addLong(restoredFrom))
        .mapEmpty();
  }

  /**
   * A page of a job's versions, newest first, below {@code beforeVersion} (null: from the newest), in
   * {@code namespaces} (null: any). A backward walk of the primary key.
   */
  public Future<List<JobVersion>> list(String jobId, List<String> namespaces, Long beforeVersion, int limit) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM job_versions WHERE job_id = $1 "
            + "AND ($2::text[] IS NULL OR namespace = ANY($2)) AND ($3::bigint IS NULL OR version < $3) "
            + "ORDER BY version DESC LIMIT $4")
        .execute(Tuple.tuple().addString(jobId)
            .addArrayOfString(namespaces == null ? null : namespaces.toArray(String[]::new))
            .addLong(beforeVersion).addInteger(limit))
        .map(rows -> {
          List<JobVersion> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(from(r)));
          return out;
        });
  }

  /** One version of a job. */
  public Future<Optional<JobVersion>> get(SqlClient client, String jobId, long version) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM job_versions WHERE job_id = $1 AND version = $2")
        .execute(Tuple.of(jobId, version))
        .map(rows -> rows.size() == 0 ? Optional.<JobVersion>empty() : Optional.of(from(rows.iterator().next())));
  }

  /** The newest version of a job (the state it was left in when it is deleted), if it ever existed. */
  public Future<Optional<JobVersion>> newest(SqlClient client, String jobId) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM job_versions WHERE job_id = $1 ORDER BY version DESC LIMIT 1")
        .execute(Tuple.of(jobId))
        .map(rows -> rows.size() == 0 ? Optional.<JobVersion>empty() : Optional.of(from(rows.iterator().next())));
  }

  public Future<Optional<JobVersion>> newest(String jobId) {
    return newest(pool, jobId);
  }

  private JobVersion from(Row r) {
    List<String> changed = new ArrayList<>();
    Object fields = r.getValue("changed_fields");
    if (fields instanceof JsonArray a) {
      a.forEach(f -> changed.add((String) f));
    }
    long version = r.getLong("version");
    return new JobVersion(r.getString("job_id"), version, r.getString("namespace"),
        JobChange.fromWire(r.getString("change")), jobs.definition(r.getString("job_id"), version, r.getString("spec")),
        r.getBoolean("paused"), changed, r.getString("changed_by"), Times.instant(r.getOffsetDateTime("changed_at")),
        r.getLong("restored_from"));
  }
}
