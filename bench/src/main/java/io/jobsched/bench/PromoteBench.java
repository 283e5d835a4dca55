package io.jobsched.bench;

import io.jobsched.config.JobschedConfig;
import io.jobsched.queue.LuaScripts;
import io.jobsched.queue.RunQueue;
import io.jobsched.run.RunIds;
import io.jobsched.scheduler.LookAhead;
import io.jobsched.scheduler.Promoter;
import io.jobsched.store.Migrator;
import io.jobsched.store.Pools;
import io.jobsched.store.JobCache;
import io.jobsched.store.JobStore;
import io.jobsched.store.RunStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * N jobs due at one instant, promoted by the real {@link Promoter} in parallel loops over all shards;
 * reports promotion throughput and when the last run reached Redis relative to the fire instant.
 * Runs in a throwaway database and Redis prefix, removed afterwards.
 */
final class PromoteBench {
  private static final Duration LEAD = Duration.ofSeconds(15);

  private final JobschedConfig cfg;
  private final int jobs;
  private final int batch;
  private final int loops;

  PromoteBench(JobschedConfig cfg, int jobs, int batch, int loops) {
    this.cfg = cfg;
    this.jobs = jobs;
    this.batch = batch;
    this.loops = loops;
  }

  void run() throws Exception {
    String db = "bench_" + UUID.randomUUID().toString().substring(0, 8);
    Vertx vertx = Vertx.vertx();
    JobschedConfig.Postgres pgConf = new JobschedConfig.Postgres(cfg.postgres().host(), cfg.postgres().port(), db,
        cfg.postgres().user(), cfg.postgres().password(), Math.max(4, loops * 2));
    admin(vertx, "CREATE DATABASE " + db);
    Pool pg = Pools.create(vertx, pgConf);
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(cfg.redis().url()).setMaxPoolSize(8));
    RunQueue queue = new RunQueue(new LuaScripts(redis), db, cfg.queue().partitions());
    try {
      await(new Migrator(vertx, pgConf).migrate());
      Instant fireAt = Instant.now().plus(LEAD).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      long t0 = System.nanoTime();
      BenchSupport.insertNoopJobs(pg, cfg.scheduler().shards(), jobs, fireAt, 0);
      double insertS = (System.nanoTime() - t0) / 1e9;
      System.out.printf("bench promote: jobs=%d batch=%d loops=%d shards=%d partitions=%d%n", jobs, batch, loops,
          cfg.scheduler().shards(), cfg.queue().partitions());
      System.out.printf("  created %d jobs due at %s in %.1f s%n", jobs, fireAt, insertS);

      Duration lookAhead = Duration.ofMillis(cfg.scheduler().lookAheadMs());
      Promoter promoter = new Promoter(new JobStore(pg, cfg.scheduler().shards(), new JobCache(jobs)), new RunStore(pg), queue, new RunIds(), new LookAhead(lookAhead, lookAhead, 1),
          Duration.ofMillis(cfg.scheduler().misfireThresholdMs()), batch,
          io.jobsched.metrics.JobschedMetrics.inMemory());
      int[] shards = IntStream.range(0, cfg.scheduler().shards()).toArray();
      // the scheduler starts promoting once the fire instant is inside its look-ahead
      long waitMs = Duration.between(Instant.now(), fireAt.minus(lookAhead)).toMillis();
      if (waitMs > 0) {
        Thread.sleep(waitMs); // a benchmark waiting for its own start time, not test synchronisation
      }
      long p0 = System.nanoTime();
      List<Future<Integer>> running = new ArrayList<>();
      for (int i = 0; i < loops; i++) {
        running.add(promoteAll(promoter, shards, 0));
      }
      await(Future.all(running));
      long p1 = System.nanoTime();
      Instant lastInRedis = Instant.now();
      int promoted = running.stream().mapToInt(Future::result).sum();
      double promoteS = (p1 - p0) / 1e9;
      System.out.printf("  promoted %d runs in %.2f s: %.0f runs/s, %.0f ms of promotion per 10,000 jobs%n",
          promoted, promoteS, promoted / promoteS, promoteS * 1000 * 10_000 / promoted);
      System.out.printf("  last run in Redis %+d ms relative to the fire instant (look-ahead %d ms)%n",
          Duration.between(fireAt, lastInRedis).toMillis(), lookAhead.toMillis());
      long rows = await(pg.query("SELECT count(*) FROM runs").execute()).iterator().next().getLong(0);
      long queued = 0;
      for (int p = 0; p < queue.partitions(); p++) {
        queued += await(redis.send(Request.cmd(Command.ZCARD).arg(queue.keys(p).ready("default", "noop")))).toLong();
      }
      System.out.printf("  check: %d run rows, %d ready entries in Redis (expected %d each)%n", rows, queued, jobs);
    } finally {
      for (int p = 0; p < queue.partitions(); p++) {
        await(redis.send(Request.cmd(Command.DEL).arg(queue.keys(p).ready("default", "noop")).arg(queue.keys(p).seq())));
      }
      await(pg.close());
      admin(vertx, "DROP DATABASE " + db);
      await(vertx.close());
    }
  }

  /** Loops promotion until a pass finds nothing due; resolves to the runs it queued. */
  private Future<Integer> promoteAll(Promoter promoter, int[] shards, int sofar) {
    return promoter.promoteOnce(shards).compose(r -> r.jobs() == 0
        ? Future.succeededFuture(sofar)
        : promoteAll(promoter, shards, sofar + r.runsQueued()));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return BenchSupport.await(f);
  }

  private void admin(Vertx vertx, String ddl) throws Exception {
    BenchSupport.admin(vertx, cfg.postgres(), ddl);
  }
}
