package io.jobsched.bench;

import io.jobsched.history.HistoryTiers;
import io.jobsched.queue.Claim;
import io.jobsched.store.RunStore;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.jobsched.bench.BenchSupport.await;

/**
 * A year of run history: fills a throwaway database (the default node's, through SQL, {@code --runs-per-month}
 * finished runs in each of {@code --months} hot months and {@code --cold-months} older ones) and times what a
 * user does, through the API: a run by id, a job's newest 50; and a worker's claimed read (START) against the
 * full table and the empty one. Then restarts the node, whose archiver moves the older months to Parquet at
 * start (timed), and times a cold run by id. Prints the {@code history:} line last.
 */
final class HistoryBench {
  private static final int JOBS = 1000;

  private final int months;
  private final int coldMonths;
  private final int runsPerMonth;
  private final List<String> jvmArgs;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  HistoryBench(Map<String, String> opts) {
    months = Integer.parseInt(opts.getOrDefault("months", "12"));
    coldMonths = Integer.parseInt(opts.getOrDefault("cold-months", "1"));
    runsPerMonth = Integer.parseInt(opts.getOrDefault("runs-per-month", "1000000"));
    jvmArgs = IsolatedNode.jvmArgs(opts);
  }

  void run() throws Exception {
    String isolation = "bench_history_" + UUID.randomUUID().toString().substring(0, 8);
    Path coldDir = Files.createTempDirectory("jobsched-bench-cold");
    try (IsolatedNode node = new IsolatedNode(isolation, jvmArgs, Map.of("JOBSCHED_HISTORY_COLD_DIR", coldDir.toString(),
        "JOBSCHED_HISTORY_ARCHIVE_INTERVAL_MS", "3600000"))) {
      new JobLoader(node.port).load(JOBS, i -> new JsonObject().put("id", "hist-" + i)
          .put("schedule", new JsonObject().put("type", "at").put("at", "2099-01-01T00:00:00Z"))
          .put("task", new JsonObject().put("type", "noop")));
      startP99(node); // warm-up: the node's and this JVM's first statements
      double startEmpty = startP99(node);

      YearMonth now = YearMonth.now(ZoneOffset.UTC);
      List<YearMonth> filled = new ArrayList<>();
      for (int m = 0; m < months; m++) {
        filled.add(now.minusMonths(m));
      }
      List<YearMonth> cold = new ArrayList<>();
      for (int m = 0; m < coldMonths; m++) {
        cold.add(now.minusMonths(13 + m)); // older than the default hot window (13 months)
      }
      long fillStart = System.nanoTime();
      // the node archived at its start (nothing then) and waits an hour: it archives these at its restart below
      List<UUID> coldIds = new ArrayList<>();
      for (YearMonth month : cold) {
        fill(node, month);
        coldIds.addAll(sample(node, "SELECT id FROM " + HistoryTiers.partitionOf(month) + " TABLESAMPLE SYSTEM (1) "
            + "LIMIT " + 200 / cold.size()));
      }
      for (YearMonth month : filled) {
        fill(node, month);
      }
      System.out.printf("  filled %d months in %.0f s%n", months + coldMonths,
          (System.nanoTime() - fillStart) / 1e9);
      // a year of history is old and vacuumed; the fill's rows are fresh: vacuum them (hint bits, visibility map)
      // now, as autovacuum would have long ago, or it runs through the measurements
      long vacuumStart = System.nanoTime();
      await(node.pg.query("VACUUM (ANALYZE) runs").execute());
      // and long written out: without this the checkpointer writes the fill's gigabytes back during the reads
      await(node.pg.query("CHECKPOINT").execute());
      System.out.printf("  vacuumed and checkpointed in %.0f s%n", (System.nanoTime() - vacuumStart) / 1e9);
      List<UUID> hotIds = sample(node, "SELECT id FROM runs TABLESAMPLE SYSTEM (1) WHERE scheduled_for >= '"
          + HistoryTiers.start(now.minusMonths(months - 1L)) + "' LIMIT 3000");

      // a run by id reads its month's table with a statement of its own: warm up each month on each connection
      // of the node's pool (16 x 12), as a node that has served for a while has
      for (UUID id : hotIds.subList(2000, hotIds.size())) {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + "/api/v1/runs/" + id)).build(),
            HttpResponse.BodyHandlers.discarding());
      }
      double byId = p99(node, hotIds.subList(0, 2000).stream().map(id -> "/api/v1/runs/" + id).toList());
      List<String> pages = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        pages.add("/api/v1/jobs/hist-" + ThreadLocalRandom.current().nextInt(JOBS) + "/runs?limit=50");
      }
      double page = p99(node, pages);
      double start = startP99(node);

      long archiveStart = System.nanoTime();
      node.restartNode(); // its archiver sweeps at start
      while (count(node, "SELECT count(*) FROM run_archives") < coldMonths) {
        if (System.nanoTime() - archiveStart > Duration.ofMinutes(20).toNanos()) {
          throw new IllegalStateException("the node's archiver did not move " + coldMonths + " months in 20 minutes");
        }
        Thread.sleep(1000); // a benchmark's progress poll, not test synchronisation
      }
      double archiveS = (System.nanoTime() - archiveStart) / 1e9;
      long partitions = count(node, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'runs'::regclass");
      long rows = count(node, "SELECT count(*) FROM runs") + count(node, "SELECT coalesce(sum(rows), 0) FROM run_archives");
      double coldLookup = p99(node, coldIds.stream().map(id -> "/api/v1/runs/" + id).toList());
      System.out.printf("history: rows=%d partitions=%d run_by_id_p99_ms=%.1f job_page_p99_ms=%.1f start_p99_ms=%.2f "
              + "start_empty_p99_ms=%.2f cold_lookup_p99_ms=%.1f archive_s=%.0f%n", rows, partitions, byId, page, start,
          startEmpty, coldLookup, archiveS);
    } finally {
      try (var files = Files.walk(coldDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The month's runs, finished, spread evenly over it and over the jobs ({@link RunHistoryFiller}). */
  private void fill(IsolatedNode node, YearMonth month) throws Exception {
    RunHistoryFiller.fill(node.pg, HistoryTiers.start(month), HistoryTiers.end(month), runsPerMonth, "hist-", 0, JOBS, 0);
  }

  private static List<UUID> sample(IsolatedNode node, String sql) throws Exception {
    List<UUID> out = new ArrayList<>();
    for (Row r : await(node.pg.query(sql).execute())) {
      out.add(r.getUUID(0));
    }
    return out;
  }

  private static long count(IsolatedNode node, String sql) throws Exception {
    return await(node.pg.query(sql).execute()).iterator().next().getLong(0);
  }

  /** p99 of GETs, one at a time (after a warm-up of 50), each expected to answer 200. */
  private double p99(IsolatedNode node, List<String> paths) throws Exception {
    double[] ms = new double[paths.size()];
    for (int i = -Math.min(50, paths.size()); i < paths.size(); i++) {
      String path = paths.get(Math.floorMod(i, paths.size()));
      long t0 = System.nanoTime();
      HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + path))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() != 200) {
        throw new IllegalStateException("GET " + path + ": " + resp.statusCode() + " " + resp.body());
      }
      if (i >= 0) {
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    System.out.printf("  %-40s p50 %.1f ms  p99 %.1f ms  (%d requests)%n", paths.get(0).replaceAll("[0-9a-f-]{36}", "{id}")
        .replaceAll("hist-[0-9]+", "{job}"), percentile(ms, 0.5), percentile(ms, 0.99), ms.length);
    return percentile(ms, 0.99);
  }

  /** p99 of a worker's read of one claimed run (START), over 1,000 PENDING runs of the current month. */
  private static double startP99(IsolatedNode node) throws Exception {
    List<UUID> ids = sample(node, "INSERT INTO runs (id, job_id, namespace, scheduled_for, attempt, trigger, status, "
        + "resource_class, task_kind, priority, due_at) SELECT jobsched_run_id(t), 'hist-' || g, 'default', t, 1, "
        + "'schedule', 'PENDING', 'default', 'noop', 0, t FROM generate_series(0, 999) g, "
        + "LATERAL (SELECT now() + interval '1 hour' + g * interval '1 ms' AS t) s RETURNING id");
    RunStore store = new RunStore(node.pg);
    double[] ms = new double[ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      long t0 = System.nanoTime();
      if (await(store.claimed(List.of(new Claim(ids.get(i), 1, 0)))).size() != 1) {
        throw new IllegalStateException("claimed read missed run " + ids.get(i));
      }
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    await(node.pg.query("DELETE FROM runs WHERE status = 'PENDING'").execute());
    System.out.printf("  START (claimed read of one run)           p50 %.2f ms  p99 %.2f ms%n", percentile(ms, 0.5),
        percentile(ms, 0.99));
    return percentile(ms, 0.99);
  }

  private static double percentile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }
}
