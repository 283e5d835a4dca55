package io.jobsched.bench;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.TreeMap;

import static io.jobsched.bench.BenchSupport.await;

/** Reads the outcome of a {@code bench run} from Postgres, the record of truth, and prints it. */
final class RunReport {
  /**
   * Milliseconds relative to the fire instant $1, as float8 so every column reads as a double. A run not
   * started (finished) yet counts as started (finished) now: a lower bound, so cutting a slow run short at
   * its deadline never flatters the percentiles.
   */
  private static final String TIMES = "SELECT "
      + "percentile_cont(0.5) WITHIN GROUP (ORDER BY lat), percentile_cont(0.95) WITHIN GROUP (ORDER BY lat), "
      + "percentile_cont(0.99) WITHIN GROUP (ORDER BY lat), max(lat), "
      + "percentile_cont(0.5) WITHIN GROUP (ORDER BY done), percentile_cont(0.95) WITHIN GROUP (ORDER BY done), "
      + "percentile_cont(0.99) WITHIN GROUP (ORDER BY done), max(done), "
      + ms("min(enqueued_at)") + ", " + ms("max(enqueued_at)") + ", " + ms("min(started_at)") + ", "
      + ms("max(finished_at)") + ", " + ms("percentile_disc(0.1) WITHIN GROUP (ORDER BY finished_at)") + ", "
      + ms("percentile_disc(0.9) WITHIN GROUP (ORDER BY finished_at)") + ", count(finished_at) "
      + "FROM (SELECT extract(epoch FROM coalesce(started_at, clock_timestamp()) - scheduled_for)::float8 * 1000 AS lat, "
      + "extract(epoch FROM coalesce(finished_at, clock_timestamp()) - scheduled_for)::float8 * 1000 AS done, "
      + "enqueued_at, started_at, finished_at FROM runs) r";

  private static String ms(String timestamp) {
    return "extract(epoch FROM " + timestamp + " - $1)::float8 * 1000";
  }

  private final Pool pg;
  private final Instant fireAt;
  private final int expected;

  RunReport(Pool pg, Instant fireAt, int expected) {
    this.pg = pg;
    this.fireAt = fireAt;
    this.expected = expected;
  }

  /** The headline numbers, for a side-by-side table. */
  record Summary(long succeeded, long duplicated, long missing, double runsPerSecond, double p50, double p95, double p99,
                 double withinOneSecondPct) {}

  /**
   * {@code allCommitted}: when the bench's poll first saw every result committed (null: not all finished).
   * Throughput counts to then, not to the last {@code finished_at} (when the task ended, before its result
   * was written): a run counts once it is durable.
   */
  Summary print(Instant allCommitted, String memory) throws Exception {
    Tuple t = Tuple.of(fireAt.atOffset(ZoneOffset.UTC));
    StringBuilder statuses = new StringBuilder();
    long success = 0;
    for (Row r : await(pg.query("SELECT status, count(*) FROM runs GROUP BY status ORDER BY status").execute())) {
      statuses.append(r.getString(0)).append(' ').append(r.getLong(1)).append("  ");
      success += "SUCCESS".equals(r.getString(0)) ? r.getLong(1) : 0;
    }
    Row dup = await(pg.query("SELECT count(*) FILTER (WHERE c > 1), count(*) FROM "
        + "(SELECT job_id, count(*) AS c FROM runs GROUP BY job_id) g").execute()).iterator().next();
    Row x = await(pg.preparedQuery(TIMES).execute(t)).iterator().next();
    TreeMap<Integer, Long> perSecond = new TreeMap<>();
    for (Row r : await(pg.preparedQuery("SELECT floor(extract(epoch FROM finished_at - $1))::int, count(*) FROM runs "
        + "WHERE finished_at IS NOT NULL GROUP BY 1 ORDER BY 1").execute(t))) {
      perSecond.put(r.getInteger(0), r.getLong(1));
    }
    long finished = x.getLong(14);
    double lastS = x.getDouble(11) / 1000;
    double middleS = (x.getDouble(13) - x.getDouble(12)) / 1000;
    line("outcome", statuses + (success == expected ? "(all " + expected + " SUCCESS)" : "EXPECTED " + expected + " SUCCESS"));
    line("one run per job", String.format("%d jobs with more than one run, %d jobs without a run", dup.getLong(0),
        expected - dup.getLong(1)));
    double committedS = allCommitted == null ? Double.NaN : Duration.between(fireAt, allCommitted).toMillis() / 1000.0;
    double durableRate = allCommitted == null ? 0 : finished / committedS;
    line("throughput", String.format("%,.0f runs/s end to end, durable (%d results committed by T + %.2f s, seen "
        + "by a poll every 500 ms); tasks ended by T + %.2f s", durableRate, finished, committedS, lastS));
    line("", String.format("%,.0f runs/s busiest 1 s, %,.0f runs/s busiest 5 s, %,.0f runs/s over the middle 80%%",
        (double) busiest(perSecond, 1), busiest(perSecond, 5) / 5.0, 0.8 * finished / middleS));
    line("promotion", String.format("first run inserted %+.0f ms, last %+.0f ms; first start %+.0f ms (from T)",
        x.getDouble(8), x.getDouble(9), x.getDouble(10)));
    line("lateness", String.format("start − scheduled: p50 %.0f  p95 %.0f  p99 %.0f  max %.0f ms"
            + (finished < expected ? "  (lower bounds: not all runs finished)" : ""),
        x.getDouble(0), x.getDouble(1), x.getDouble(2), x.getDouble(3)));
    line("", String.format("finish − scheduled: p50 %.0f  p95 %.0f  p99 %.0f  max %.0f ms",
        x.getDouble(4), x.getDouble(5), x.getDouble(6), x.getDouble(7)));
    StringBuilder bySecond = new StringBuilder();
    var seconds = await(pg.preparedQuery("SELECT floor(extract(epoch FROM scheduled_for - $1))::int, "
        + "percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM coalesce(started_at, clock_timestamp()) "
        + "- scheduled_for)::float8 * 1000) FROM runs GROUP BY 1 ORDER BY 1").execute(t));
    if (seconds.size() > 1) {
      seconds.forEach(r -> bySecond.append(String.format("%+d:%.0f ", r.getInteger(0), r.getDouble(1))));
      line("p99 by fire s", bySecond.toString().trim());
    }
    StringBuilder byPriority = new StringBuilder();
    var bands = await(pg.query("SELECT priority, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY lat), "
        + "percentile_cont(0.99) WITHIN GROUP (ORDER BY lat) FROM (SELECT priority, extract(epoch FROM "
        + "coalesce(started_at, clock_timestamp()) - scheduled_for)::float8 * 1000 AS lat FROM runs) r "
        + "GROUP BY priority ORDER BY priority DESC").execute());
    if (bands.size() > 1) {
      bands.forEach(b -> byPriority.append(String.format("priority %d (%d runs): p50 %.0f p99 %.0f ms;  ",
          b.getInteger(0), b.getLong(1), b.getDouble(2), b.getDouble(3))));
      line("by priority", byPriority.toString().trim());
    }
    line("memory", memory);
    Row w = await(pg.query("SELECT sum(n_tup_ins), sum(n_tup_upd), sum(n_tup_hot_upd) FROM pg_stat_user_tables "
        + "WHERE relname LIKE 'runs%'").execute()).iterator().next();
    line("run writes", String.format("%d inserted, %d updated of which %d heap-only (no index entries)",
        w.getLong(0), w.getLong(1), w.getLong(2)));
    StringBuilder timeline = new StringBuilder();
    perSecond.forEach((s, n) -> timeline.append(String.format("%+d:%d ", s, n)));
    line("finished per s", timeline.toString().trim());
    double onTime = await(pg.query("SELECT 100.0 * count(*) FILTER (WHERE started_at - scheduled_for <= interval '1 second') "
        + "/ greatest(count(*), 1) FROM runs").execute()).iterator().next().getDouble(0);
    return new Summary(success, dup.getLong(0), expected - dup.getLong(1), durableRate, x.getDouble(0),
        x.getDouble(1), x.getDouble(2), onTime);
  }

  /** The most runs finished in any {@code width} consecutive whole seconds. */
  private static long busiest(TreeMap<Integer, Long> perSecond, int width) {
    long best = 0;
    for (int start : perSecond.keySet()) {
      long sum = 0;
      for (int s = start; s < start + width; s++) {
        sum += perSecond.getOrDefault(s, 0L);
      }
      best = Math.max(best, sum);
    }
    return best;
  }

  private static void line(String label, String value) {
    System.out.printf("  %-16s %s%n", label, value);
  }
}
