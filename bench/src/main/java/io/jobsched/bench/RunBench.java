package io.jobsched.bench;

import io.jobsched.Node;
import io.jobsched.config.ConfigLoader;
import io.jobsched.config.JobschedConfig;
import io.jobsched.store.Migrator;
import io.jobsched.store.Pools;
import io.jobsched.store.RunPartitions;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.jobsched.bench.BenchSupport.await;

/**
 * The whole pipeline end to end: N noop jobs due at one instant T (or spread over {@code spreadMs}), a real
 * in-process node (scheduler, worker, reaper) promotes, claims, runs and records them; the numbers come
 * from the run rows in Postgres. Throwaway database and Redis prefix, removed afterwards.
 */
final class RunBench {
  /** How long the bench waits for one more run to finish before it reports what it has. */
  private static final Duration STALL = Duration.ofSeconds(60);

  private final int runs;
  private final int capacity;
  private final long spreadMs;
  private final long leadMs;
  /** Reports what finished by T + this, so a slow pipeline still yields numbers in bounded time. */
  private final long deadlineS;
  /** Diagnostic: "off" lets this throwaway database commit without waiting for the WAL flush. */
  private final String syncCommit;
  private final Map<String, String> overrides = new HashMap<>();
  private final String isolation = "bench_run_" + UUID.randomUUID().toString().substring(0, 8);

  /** {@code opts}: runs, capacity, look-ahead-ms, spike (1: all at T; 0: spread-ms), lead-ms, deadline-s, batch, pg-pool, redis-pool,
   * sync-commit (off: diagnostic, what commits cost). */
  RunBench(Map<String, String> opts) {
    if (!opts.getOrDefault("task", "noop").equals("noop")) {
      throw new IllegalArgumentException("--task: only noop is supported");
    }
    runs = Integer.parseInt(opts.getOrDefault("runs", "200000"));
    // 0: the node's default capacity, as a user gets it
    capacity = Integer.parseInt(opts.getOrDefault("capacity", "0"));
    spreadMs = opts.getOrDefault("spike", "1").equals("1") ? 0 : Long.parseLong(opts.getOrDefault("spread-ms", "20000"));
    leadMs = Long.parseLong(opts.getOrDefault("lead-ms", "15000"));
    deadlineS = Long.parseLong(opts.getOrDefault("deadline-s", "600"));
    syncCommit = opts.getOrDefault("sync-commit", "on").equals("off") ? "off" : "on";
    overrides.put("JOBSCHED_NODE_ROLES", "scheduler,worker,reaper");
    overrides.put("JOBSCHED_CLUSTER_ENABLED", "false");
    overrides.put("JOBSCHED_HTTP_PORT", "0");   // only /health and /metrics without the api role
    overrides.put("JOBSCHED_POSTGRES_DATABASE", isolation);
    overrides.put("JOBSCHED_REDIS_PREFIX", isolation);
    overrides.put("JOBSCHED_ELASTICSEARCH_INDEX_PREFIX", isolation + "-logs");
    if (capacity > 0) {
      overrides.put("JOBSCHED_WORKER_CAPACITY", "{\"default\":" + capacity + "}");
    }
    // a run cut short at its deadline leaves nothing worth waiting for at shutdown
    overrides.put("JOBSCHED_WORKER_DRAIN_MS", "2000");
    copy(opts, "look-ahead-ms", "JOBSCHED_SCHEDULER_LOOK_AHEAD_MS");
    copy(opts, "batch", "JOBSCHED_SCHEDULER_BATCH_SIZE");
    copy(opts, "pg-pool", "JOBSCHED_POSTGRES_POOL_SIZE");
    copy(opts, "redis-pool", "JOBSCHED_REDIS_POOL_SIZE");
  }

  private void copy(Map<String, String> opts, String option, String variable) {
    if (opts.containsKey(option)) {
      overrides.put(variable, opts.get(option));
    }
  }

  void run() throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(overrides);
    JobschedConfig cfg = ConfigLoader.load(env);
    Vertx vertx = Vertx.vertx();
    BenchSupport.admin(vertx, cfg.postgres(), "CREATE DATABASE " + isolation);
    // the bench's own connections: set-up, progress and the report, off the node's pool
    JobschedConfig.Postgres pgConf = new JobschedConfig.Postgres(cfg.postgres().host(), cfg.postgres().port(), isolation,
        cfg.postgres().user(), cfg.postgres().password(), 2);
    Pool pg = Pools.create(vertx, pgConf);
    Redis redis = Redis.createClient(vertx, cfg.redis().url());
    Node node = null;
    try (MemoryWatch memory = new MemoryWatch()) {
      await(new Migrator(vertx, pgConf).migrate());
      await(new RunPartitions(pg).ensure());
      // applies to the node's connections, opened after this
      await(pg.query("ALTER DATABASE " + isolation + " SET synchronous_commit = " + syncCommit).execute());
      Instant fireAt = Instant.now().plusMillis(cfg.scheduler().lookAheadMs() + leadMs).truncatedTo(ChronoUnit.SECONDS);
      long t0 = System.nanoTime();
      BenchSupport.insertNoopJobs(pg, cfg.scheduler().shards(), runs, fireAt, spreadMs);
      // real jobs exist long before they fire, so autovacuum has analyzed them; without this the spike would meet
      // plans made for an empty jobs table. Runs get no such help: the spike creates them.
      await(pg.query("ANALYZE jobs").execute());
      System.out.printf("bench run: runs=%d task=noop capacity=%d look-ahead=%d ms batch=%d %s pg-pool=%d "
              + "redis-pool=%d partitions=%d shards=%d sync-commit=%s%n", runs, capacity, cfg.scheduler().lookAheadMs(),
          cfg.scheduler().batchSize(), spreadMs == 0 ? "spike (all due at T)" : "spread over " + spreadMs + " ms",
          cfg.postgres().poolSize(), cfg.redis().poolSize(), cfg.queue().partitions(), cfg.scheduler().shards(), syncCommit);
      System.out.printf("  created %d jobs in %.1f s, T = %s%n", runs, (System.nanoTime() - t0) / 1e9, fireAt);
      System.gc(); // the insert's garbage is not the pipeline's
      memory.start();
      node = await(Node.start(cfg));
      long slackMs = Duration.between(Instant.now(), fireAt).toMillis() - cfg.scheduler().lookAheadMs();
      if (slackMs < 0) {
        System.out.printf("  WARNING: node up %d ms after promotion could start; raise --lead-ms%n", -slackMs);
      }
      Instant allCommitted = waitForAll(pg, fireAt, runs, deadlineS);
      await(node.close());
      node = null;
      memory.close();
      System.out.println("  " + "-".repeat(100));
      new RunReport(pg, fireAt, runs).print(allCommitted, String.format(
          "peak heap used %d MB (committed %d MB, max %d MB); process peak RSS %d MB", memory.peakHeapUsed() >> 20,
          memory.peakHeapCommitted() >> 20, Runtime.getRuntime().maxMemory() >> 20, MemoryWatch.peakRss() >> 20));
    } finally {
      if (node != null) {
        await(node.close());
      }
      await(pg.close());
      BenchSupport.admin(vertx, cfg.postgres(), "DROP DATABASE IF EXISTS " + isolation + " WITH (FORCE)");
      System.out.printf("  dropped database %s and %d Redis keys%n", isolation, dropKeys(redis, isolation + ":*"));
      await(vertx.close());
    }
  }

  /**
   * Polls until every run's result is committed; resolves to when the poll first saw them all (within one
   * poll interval, 500 ms after T, of the last commit), or null if they did not all finish (nothing finished
   * for {@link #STALL}, or the deadline passed).
   */
  static Instant waitForAll(Pool pg, Instant fireAt, int runs, long deadlineS) throws Exception {
    long lastDone = -1;
    Instant lastProgress = fireAt;
    Instant lastCount = Instant.MIN;
    while (true) {
      // counting reads every run: the bench's own load on Postgres, so counts are every 3 s; in between, a
      // probe of the unfinished-runs index says whether any result is still missing
      boolean counting = Instant.now().isAfter(lastCount.plusSeconds(3));
      if (!counting && Instant.now().isAfter(fireAt) && !await(pg.query("SELECT EXISTS (SELECT 1 FROM runs "
          + "WHERE finished_at IS NULL)").execute()).iterator().next().getBoolean(0)) {
        counting = true;
      }
      if (!counting) {
        Thread.sleep(500); // a benchmark's progress poll, not test synchronisation
        continue;
      }
      lastCount = Instant.now();
      Instant countedAt = lastCount;
      Row r = await(pg.query("SELECT count(*) FILTER (WHERE finished_at IS NOT NULL), count(*) FROM runs").execute())
          .iterator().next();
      long done = r.getLong(0);
      System.err.printf("  T%+6.1f s  runs %d  finished %d/%d%n",
          Duration.between(fireAt, Instant.now()).toMillis() / 1000.0, r.getLong(1), done, runs);
      if (done >= runs) {
        return countedAt;
      }
      if (done != lastDone || Instant.now().isBefore(fireAt)) {
        lastDone = done;
        lastProgress = Instant.now();
      } else if (Instant.now().isAfter(lastProgress.plus(STALL))) {
        System.out.printf("  WARNING: no run finished for %d s, reporting what there is%n", STALL.toSeconds());
        return null;
      }
      if (Instant.now().isAfter(fireAt.plusSeconds(deadlineS))) {
        System.out.printf("  WARNING: deadline T+%d s reached with %d of %d runs finished, reporting what there is%n",
            deadlineS, done, runs);
        return null;
      }
      Thread.sleep(500); // a benchmark's progress poll, not test synchronisation
    }
  }

  /** SCAN + DEL: only this run's prefix, never a flush. */
  static long dropKeys(Redis redis, String pattern) throws Exception {
    long dropped = 0;
    String cursor = "0";
    do {
      Response page = await(redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern)
          .arg("COUNT").arg(1000)));
      cursor = page.get(0).toString();
      Request del = Request.cmd(Command.DEL);
      int n = 0;
      for (Response key : page.get(1)) {
        del.arg(key.toString());
        n++;
      }
      if (n > 0) {
        dropped += await(redis.send(del)).toLong();
      }
    } while (!cursor.equals("0"));
    return dropped;
  }
}
