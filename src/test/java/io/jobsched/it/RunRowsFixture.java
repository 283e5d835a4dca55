package io.jobsched.it;

import io.jobsched.store.Pools;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.jobsched.it.TestNode.await;

/**
 * Run rows put straight into a test node's database, as the scheduler (PENDING) or a worker that started
 * them (RUNNING under a token) would leave them, so store statements can be exercised at a size and timing
 * no real worker pool gives reliably.
 * Use it beside a node without worker and reaper roles, which would otherwise act on these rows.
 */
final class RunRowsFixture implements AutoCloseable {
  /** One inserted run: what a result needs to address it. */
  record Row1(UUID id, Instant scheduledFor) {}

  private final Vertx vertx = Vertx.vertx();
  final Pool pg;

  RunRowsFixture(TestNode node) {
    pg = Pools.create(vertx, node.config().postgres());
  }

  /** {@code n} RUNNING runs of {@code jobId} under {@code token}, one fire a second from {@code first}. */
  List<Row1> running(String jobId, int n, Instant first, long token) throws Exception {
    return insert(jobId, n, first, token);
  }

  /** {@code n} PENDING runs of {@code jobId} (no claim written yet), one fire a second from {@code first}. */
  List<Row1> pending(String jobId, int n, Instant first) throws Exception {
    return insert(jobId, n, first, null);
  }

  private List<Row1> insert(String jobId, int n, Instant first, Long token) throws Exception {
    var rows = await(pg.preparedQuery("INSERT INTO runs (id, job_id, namespace, scheduled_for, attempt, trigger, "
            + "status, resource_class, task_kind, priority, due_at, token, worker, started_at) "
            + "SELECT jobsched_run_id($2::timestamptz + g * interval '1 second'), j.id, j.namespace, "
            + "$2 + g * interval '1 second', 1, 'schedule', CASE WHEN $4::bigint IS NULL THEN 'PENDING' ELSE 'RUNNING' END, "
            + "j.resource_class, j.task_kind, j.priority, $2 + g * interval '1 second', $4, "
            + "CASE WHEN $4 IS NULL THEN NULL ELSE 'fixture' END, CASE WHEN $4 IS NULL THEN NULL ELSE now() END "
            + "FROM jobs j, generate_series(0, $3 - 1) g WHERE j.id = $1 RETURNING id, scheduled_for")
        .execute(Tuple.of(jobId, OffsetDateTime.ofInstant(first, ZoneOffset.UTC), n, token)), 30);
    List<Row1> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new Row1(r.getUUID("id"), r.getOffsetDateTime("scheduled_for").toInstant()));
    }
    if (out.size() != n) {
      throw new IllegalStateException("job " + jobId + " missing: inserted " + out.size() + " runs");
    }
    return out;
  }

  long count(String sql, Object... params) throws Exception {
    return await(pg.preparedQuery(sql).execute(Tuple.from(params)), 30).iterator().next().getLong(0);
  }

  @Override
  public void close() throws Exception {
    await(pg.close(), 10);
    await(vertx.close(), 10);
  }
}
