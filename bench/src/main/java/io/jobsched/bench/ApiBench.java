package io.jobsched.bench;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;


/**
 * What a user gets: the node {@code scripts/dev.sh} starts (the shipped jar, its default configuration; only
 * the database, key prefixes, cluster name and HTTP port are its own), N noop jobs loaded through
 * {@code POST /api/v1/jobs/batch}, all due at one instant (spike) or one every 1/rate s (rate), and the
 * outcome read from Postgres: lateness = start − scheduled, every run SUCCESS exactly once, durable.
 */
final class ApiBench {
  private final int runs;
  private final boolean spike;
  private final int rate;
  private final long leadMs;
  private final long deadlineS;
  /** Job i gets priorities[i mod n]: a mixed-priority spike reports lateness per priority. */
  private final int[] priorities;
  /** Diagnostics only (e.g. a JFR recording); empty for the numbers a user gets. */
  private final List<String> nodeJvmArgs;
  private final String isolation = "bench_api_" + UUID.randomUUID().toString().substring(0, 8);

  ApiBench(Map<String, String> opts) {
    runs = Integer.parseInt(opts.getOrDefault("runs", "50000"));
    spike = !opts.getOrDefault("mode", "spike").equals("rate");
    rate = Integer.parseInt(opts.getOrDefault("rate", "1000"));
    // loading through the API and the promotion ahead of the instant both take time: ~0.3 ms a job, 20 s at least
    leadMs = Long.parseLong(opts.getOrDefault("lead-ms", Long.toString(20_000 + runs * 3L / 10)));
    deadlineS = Long.parseLong(opts.getOrDefault("deadline-s", "600"));
    priorities = java.util.Arrays.stream(opts.getOrDefault("priorities", "500").split(",")).mapToInt(Integer::parseInt)
        .toArray();
    nodeJvmArgs = IsolatedNode.jvmArgs(opts);
  }

  void run() throws Exception {
    try (IsolatedNode node = new IsolatedNode(isolation, nodeJvmArgs)) {
      Pool pg = node.pg;
      int port = node.port;
      Instant fireAt = Instant.now().plusMillis(leadMs).truncatedTo(ChronoUnit.SECONDS);
      System.out.printf("bench api: runs=%d %s, default node (pid %d) on port %d, T = %s%n", runs,
          spike ? "spike (all due at T)" : "rate " + rate + "/s from T", node.pid(), port, fireAt);
      long t0 = System.nanoTime();
      new JobLoader(port).load(runs, i -> new JsonObject().put("id", "bench-" + i)
          .put("schedule", new JsonObject().put("type", "at")
              .put("at", (spike ? fireAt : fireAt.plusNanos(i * 1_000_000_000L / rate)).toString()))
          .put("priority", priorities[i % priorities.length]).put("task", new JsonObject().put("type", "noop")));
      double loadS = (System.nanoTime() - t0) / 1e9;
      System.out.printf("  loaded %d jobs through POST /api/v1/jobs/batch in %.1f s (%,.0f jobs/s); T in %.1f s%n",
          runs, loadS, runs / loadS, Duration.between(Instant.now(), fireAt).toMillis() / 1000.0);
      if (Instant.now().isAfter(fireAt)) {
        System.out.println("  WARNING: loading ended after T; raise --lead-ms");
      }
      Instant allCommitted = RunBench.waitForAll(pg, fireAt, runs, deadlineS);
      long rss = node.stopNode();
      System.out.println("  " + "-".repeat(100));
      RunReport.Summary s = new RunReport(pg, fireAt, runs).print(allCommitted, String.format("node process peak RSS %d MB", rss >> 20));
      // the same line the BullMQ peer prints, for scripts/bench.sh peer's table
      System.out.printf("RESULT peer=jobsched mode=%s jobs=%d rate=%d completed=%b missing=%d duplicates=%d%n",
          spike ? "spike" : "rate", runs, rate, s.succeeded() == runs, s.missing(), s.duplicated());
      System.out.printf("RESULT  executions/s (T..last result committed) = %.0f%n", s.runsPerSecond());
      System.out.printf("RESULT  lateness ms: p50=%.1f p95=%.1f p99=%.1f  started<=1s late: %.2f%%  peak RSS %d MB%n",
          s.p50(), s.p95(), s.p99(), s.withinOneSecondPct(), rss >> 20);
    }
  }
}
