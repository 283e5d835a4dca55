package io.jobsched.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/**
 * Keeps monthly partitions of {@code runs} ahead of time (last month through two months ahead), so
 * history lands in month tables that retention can drop whole. Serialized by the migration lock.
 */
public final class RunPartitions {
  private final Pool pool;

  public RunPartitions(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> ensure() {
    return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + Migrator.MIGRATION_LOCK + ")")
        .execute()
        .compose(x -> conn.query("SELECT jobsched_ensure_run_partition(now() + make_interval(months => m)) "
            + "FROM generate_series(-1, 2) AS m").execute())
        .mapEmpty());
  }

  /**
   * Refreshes the planner statistics of the current month's partition. Without them a partition that
   * filled up in seconds is planned as if nearly empty, and key lookups scan the active-run indexes.
   */
  public Future<Void> analyzeCurrent() {
    return pool.query("SELECT jobsched_analyze_run_partition(now())").execute().mapEmpty();
  }
}
