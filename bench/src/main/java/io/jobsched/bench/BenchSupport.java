package io.jobsched.bench;

import io.jobsched.config.JobschedConfig;
import io.jobsched.job.AtSchedule;
import io.jobsched.job.Job;
import io.jobsched.job.MisfirePolicy;
import io.jobsched.job.NoopTask;
import io.jobsched.job.OverlapPolicy;
import io.jobsched.job.RetryPolicy;
import io.jobsched.job.TimeoutPolicy;
import io.jobsched.store.JobCache;
import io.jobsched.store.JobDocument;
import io.jobsched.store.JobStore;
import io.jobsched.store.Pools;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the benchmarks share: throwaway databases, bulk job creation, blocking on futures. */
final class BenchSupport {
  private BenchSupport() {
  }

  /**
   * Bulk insert in SQL from one noop definition; ids bench-1..N spread over shards like real ids. Job i is
   * due at {@code fireAt + i * spreadMs / N} (spreadMs 0: all at one instant).
   */
  static void insertNoopJobs(Pool pg, int shardCount, int jobs, Instant fireAt, long spreadMs) throws Exception {
    Job template = new Job("bench-0", "default", "bench", Map.of(), new AtSchedule(fireAt), new NoopTask(Duration.ZERO),
        "default", Duration.ofMinutes(1), new TimeoutPolicy(TimeoutPolicy.Action.FAIL, null, Duration.ofSeconds(1)),
        new RetryPolicy(1, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), 0.0), 500, OverlapPolicy.ALLOW,
        new MisfirePolicy(MisfirePolicy.Kind.FIRE_ONCE, Duration.ofHours(1)));
    // shard: the placement the nodes use
    JobStore shards = new JobStore(pg, shardCount, new JobCache(1));
    String[] ids = new String[jobs];
    Integer[] shardArr = new Integer[jobs];
    for (int i = 0; i < jobs; i++) {
      ids[i] = "bench-" + (i + 1);
      shardArr[i] = shards.shardOf(ids[i]);
    }
    await(pg.preparedQuery("INSERT INTO jobs (id, namespace, name, spec, schedule_type, task_kind, resource_class, "
            + "priority, next_fire_at, shard) SELECT u.id, 'default', u.id, jsonb_set($1::text::jsonb, '{id}', "
            + "to_jsonb(u.id)), 'at', 'noop', 'default', 500, $2 + (u.ord - 1) * $5::bigint / $6::bigint * interval '1 millisecond', u.shard "
            + "FROM UNNEST($3::text[], $4::int[]) WITH ORDINALITY AS u(id, shard, ord)")
        .execute(Tuple.tuple().addString(JobDocument.write(template)).addOffsetDateTime(fireAt.atOffset(ZoneOffset.UTC))
            .addArrayOfString(ids).addArrayOfInteger(shardArr).addLong(spreadMs).addLong((long) jobs)));
  }

  /** DDL on the maintenance database (CREATE/DROP DATABASE take no parameters: names are generated). */
  static void admin(Vertx vertx, JobschedConfig.Postgres pg, String ddl) throws Exception {
    await(PgConnection.connect(vertx, Pools.connectOptions(pg).setDatabase("postgres"))
        .compose(conn -> conn.query(ddl).execute().eventually(conn::close)));
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }
}
