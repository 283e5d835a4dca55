package io.jobsched.bench;

import io.jobsched.history.HistoryTiers;
import io.jobsched.queue.Claim;
import io.jobsched.store.Notifications;
import io.jobsched.store.RunStore;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

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
 * user does, through the API, one request at a time ({@link SequentialGets}) to a node warmed by 20,000
 * reads: a run by id (beside its parts: the node's HTTP path alone, the statement alone), a job's newest 50;
 * and a worker's claimed read (START) against the full table and the empty one. Then restarts the node, whose
 * archiver moves the older months to Parquet at start (timed), and times a cold run by id. Prints the {@code history:} line last.
 */
final class HistoryBench {
  private static final int JOBS = 1000;

  private final int months;
  private final int coldMonths;
  private final int runsPerMonth;
  private final List<String> jvmArgs;

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
      // warm-up: this JVM compiles the claimed read over its first few thousand (the full table's START is
      // measured much later, warm: the two compare alike)
      double startEmpty = 0;
      for (int pass = 0; pass < 5; pass++) {
        startEmpty = startP99(node);
      }

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
            + "LIMIT " + 250 / cold.size()));
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
      // shuffled: a sample's rows come in table order, so its first 28,000 would be of one or two months
      List<UUID> hotIds = sample(node, "SELECT id FROM runs TABLESAMPLE SYSTEM (5) WHERE scheduled_for >= '"
          + HistoryTiers.start(now.minusMonths(months - 1L)) + "' ORDER BY random() LIMIT 28000");

      // measured as a node that has served for a while: a run by id reads its month's table with a statement of
      // its own (each month on each connection of the node's pool, 16 x 12, is prepared once), and the node's
      // JIT compiles the path over its first few thousand requests. Sent one at a time from a fresh node, by-id
      // p99 went 8.5, 4.5, 3.9, 4.2, then 0.9, 0.7, 0.6, 0.6, 1.0, 0.5 ms in rounds of 2,000 (raw socket, 2026-12-02).
      try (SequentialGets gets = new SequentialGets(node.vertx(), node.port)) {
        await(gets.time(hotIds.subList(0, 20000).stream().map(id -> "/api/v1/runs/" + id).toList(), 0));
      }
      // printed for comparison: the same reads straight after that warm-up, then the measured pass
      System.out.println("  first pass, after 20,000 warm-up requests:");
      reads(node, hotIds.subList(20000, 24000));
      System.out.println("  second pass, measured:");
      Reads measured = reads(node, hotIds.subList(24000, 28000));
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
      // the first 50 warm up (the node has just restarted: its first cold read starts the Parquet reader)
      double coldLookup = p99(node, coldIds.stream().map(id -> "/api/v1/runs/" + id).toList(), 50);
      System.out.printf("history: rows=%d partitions=%d run_by_id_p99_ms=%.1f job_page_p99_ms=%.1f start_p99_ms=%.2f "
              + "start_empty_p99_ms=%.2f cold_lookup_p99_ms=%.1f archive_s=%.0f http_floor_p99_ms=%.1f sql_by_id_p99_ms=%.1f%n",
          rows, partitions, measured.byId(), measured.page(), start, startEmpty, coldLookup, archiveS, measured.httpFloor(),
          measured.sqlById());
    } finally {
      try (var files = Files.walk(coldDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** p99s of one pass of a user's reads, and of what a run by id is made of. */
  private record Reads(double byId, double httpFloor, double sqlById, double page) {}

  /** {@code ids}: 4,000, half read through the API, half by the statement alone (each run read once: cold alike). */
  private Reads reads(IsolatedNode node, List<UUID> ids) throws Exception {
    double byId = p99(node, ids.subList(0, 2000).stream().map(id -> "/api/v1/runs/" + id).toList(), 0);
    // what the by-id time is made of: the node's HTTP path without a database, the statement without the node
    double httpFloor = p99(node, java.util.Collections.nCopies(2050, "/api/v1/whoami"), 50);
    double sqlById = sqlByIdP99(node, ids.subList(0, 2000), ids.subList(2000, 4000));
    List<String> pages = new ArrayList<>();
    for (int i = 0; i < 1050; i++) {
      pages.add("/api/v1/jobs/hist-" + ThreadLocalRandom.current().nextInt(JOBS) + "/runs?limit=50");
    }
    return new Reads(byId, httpFloor, sqlById, p99(node, pages, 50));
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

  /** p99 of GETs but the first {@code warmUp}, one at a time, each expected to answer 200 ({@link SequentialGets}). */
  private static double p99(IsolatedNode node, List<String> paths, int warmUp) throws Exception {
    double[] ms;
    try (SequentialGets gets = new SequentialGets(node.vertx(), node.port)) {
      ms = await(gets.time(paths, warmUp));
    }
    return reported(paths.get(0).replaceAll("[0-9a-f-]{36}", "{id}").replaceAll("hist-[0-9]+", "{job}"), ms, "requests");
  }

  /** Prints the p50 and p99 of {@code ms} under {@code label}; returns the p99. */
  private static double reported(String label, double[] ms, String unit) {
    System.out.printf("  %-40s p50 %.1f ms  p99 %.1f ms  (%d %s)%n", label, percentile(ms, 0.5), percentile(ms, 0.99),
        ms.length, unit);
    return percentile(ms, 0.99);
  }

  /** p99 of the node's by-id statement ({@link Notifications#runWithNotifications}) sent by this JVM, one at a time. */
  private static double sqlByIdP99(IsolatedNode node, List<UUID> warmUp, List<UUID> ids) throws Exception {
    Notifications statement = new Notifications(node.pg);
    for (UUID id : warmUp) { // prepares the statement of each month on each connection of this JVM's pool
      await(statement.runWithNotifications(id));
    }
    double[] ms = new double[ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      long t0 = System.nanoTime();
      if (await(statement.runWithNotifications(ids.get(i))).isEmpty()) {
        throw new IllegalStateException("no run " + ids.get(i));
      }
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    return reported("run by id, SQL alone", ms, "statements");
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
