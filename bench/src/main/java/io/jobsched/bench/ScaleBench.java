package io.jobsched.bench;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.jobsched.bench.BenchSupport.await;

/**
 * Many schedules at once: N cron jobs, job i firing at second i mod 60 of every minute (N ÷ 60 fires a
 * second, evenly), loaded through the API into the default node, then M whole minutes observed. Every fire
 * scheduled inside the window must have run once: missed = fires without a SUCCESS run by the end (the
 * window plus 30 s), duplicates = fires that succeeded more than once; lateness = start − scheduled.
 */
final class ScaleBench {
  private final int jobs;
  private final int minutes;
  /** Diagnostics only (e.g. a JFR recording). */
  private final List<String> nodeJvmArgs;
  private final String isolation = "bench_scale_" + UUID.randomUUID().toString().substring(0, 8);

  ScaleBench(Map<String, String> opts) {
    jobs = Integer.parseInt(opts.getOrDefault("jobs", "1000000"));
    minutes = Integer.parseInt(opts.getOrDefault("minutes", "5"));
    nodeJvmArgs = IsolatedNode.jvmArgs(opts);
  }

  void run() throws Exception {
    try (IsolatedNode node = new IsolatedNode(isolation, nodeJvmArgs)) {
      Pool pg = node.pg;
      int port = node.port;
      System.out.printf("bench scale: %,d cron jobs (%,.0f fires/s), %d minutes observed, default node (pid %d)%n",
          jobs, jobs / 60.0, minutes, node.pid());
      long t0 = System.nanoTime();
      new JobLoader(port).load(jobs, i -> new JsonObject().put("id", "scale-" + i)
          .put("schedule", new JsonObject().put("type", "cron").put("expression", (i % 60) + " * * * * *"))
          .put("task", new JsonObject().put("type", "noop")));
      double loadS = (System.nanoTime() - t0) / 1e9;
      System.out.printf("  loaded in %.1f s (%,.0f jobs/s)%n", loadS, jobs / loadS);
      long jobsBytes = await(pg.query("SELECT pg_total_relation_size('jobs')").execute()).iterator().next().getLong(0);
      System.out.printf("  jobs table with its indexes: %,d MB (%,d bytes a job; 10,000,000 jobs: ~%,d GB)%n",
          jobsBytes >> 20, jobsBytes / jobs, jobsBytes / jobs * 10_000_000L >> 30);
      // the first whole minute at least 10 s away, so the window starts in a steady state
      Instant from = Instant.now().plusSeconds(70).truncatedTo(ChronoUnit.MINUTES);
      Instant to = from.plus(Duration.ofMinutes(minutes));
      Instant end = to.plusSeconds(30);
      while (Instant.now().isBefore(end)) {
        // a benchmark's progress report, not test synchronisation
        Thread.sleep(Math.min(30_000, Math.max(1, Duration.between(Instant.now(), end).toMillis())));
        System.err.printf("  %s  node RSS %d MB%n", Instant.now().atOffset(ZoneOffset.UTC).toLocalTime(),
            node.peakRssBytes() >> 20);
      }
      long rss = node.stopNode();
      Row r = await(pg.preparedQuery("SELECT count(*) FILTER (WHERE n >= 1), count(*) FILTER (WHERE n > 1), "
              + "coalesce(sum(n), 0) FROM (SELECT job_id, scheduled_for, count(*) FILTER (WHERE status = 'SUCCESS') n "
              + "FROM runs WHERE scheduled_for >= $1 AND scheduled_for < $2 GROUP BY job_id, scheduled_for) f")
          .execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)))).iterator().next();
      Row lat = await(pg.preparedQuery("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY l), "
              + "percentile_cont(0.99) WITHIN GROUP (ORDER BY l) FROM (SELECT extract(epoch FROM started_at - "
              + "scheduled_for)::float8 * 1000 AS l FROM runs WHERE status = 'SUCCESS' AND scheduled_for >= $1 "
              + "AND scheduled_for < $2) x")
          .execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)))).iterator().next();
      long expected = (long) jobs * minutes;
      long ran = r.getLong(0);
      System.out.printf("  window %s .. %s: %,d fires expected, %,d ran, lateness p50 %.0f ms%n", from, to, expected,
          ran, lat.getDouble(0));
      System.out.printf("scale: jobs=%d create_jobs_per_s=%.0f fires=%d missed=%d duplicates=%d lateness_p99_ms=%.0f "
          + "node_rss_mb=%d%n", jobs, jobs / loadS, r.getLong(2), expected - ran, r.getLong(1),
          lat.getDouble(1) == null ? Double.NaN : lat.getDouble(1), rss >> 20);
    }
  }
}
