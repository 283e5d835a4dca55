package io.jobsched.bench;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

import static io.jobsched.bench.BenchSupport.await;

/**
 * Finished runs put straight into a node's database (the history and dashboard benchmarks): {@code count} runs
 * spread evenly over [from, to) and round-robin over jobs {@code <prefix><n>} (n zero-padded to {@code width}
 * digits, or plain when 0), in statements of {@value #CHUNK}; fires in the future are left out. Every
 * {@code failEvery}-th run is FAILED (0: none), the rest SUCCESS.
 */
final class RunHistoryFiller {
  private static final int CHUNK = 200_000;

  private RunHistoryFiller() {
  }

  static void fill(Pool pg, Instant from, Instant to, long count, String prefix, int width, int jobs, int failEvery)
      throws Exception {
    // the month tables [from, to) touches: not the one starting at `to` (bench history's months end there)
    for (YearMonth m = YearMonth.from(from.atOffset(ZoneOffset.UTC)); m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)
        .isBefore(to); m = m.plusMonths(1)) {
      await(pg.preparedQuery("SELECT jobsched_ensure_run_partition($1)")
          .execute(Tuple.of(m.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC))));
    }
    long spanMs = to.toEpochMilli() - from.toEpochMilli();
    for (long first = 0; first < count; first += CHUNK) {
      await(pg.preparedQuery("INSERT INTO runs (id, job_id, namespace, scheduled_for, attempt, trigger, status, "
              + "worker, token, resource_class, task_kind, priority, due_at, enqueued_at, started_at, finished_at, exit_code) "
              + "SELECT jobsched_run_id(t), $7 || CASE WHEN $8 = 0 THEN (g % $4)::text ELSE lpad((g % $4)::text, $8, '0') END, "
              + "'default', t, 1, 'schedule', CASE WHEN $9 > 0 AND g % $9 = 0 THEN 'FAILED' ELSE 'SUCCESS' END, 'w1', g, "
              + "'default', 'noop', 0, t, t, t + interval '2 ms', t + interval '9 ms', CASE WHEN $9 > 0 AND g % $9 = 0 "
              + "THEN 1 ELSE 0 END "
              + "FROM generate_series($2::bigint, $3::bigint - 1) g, "
              + "LATERAL (SELECT $1::timestamptz + (g * $5::bigint / $6::bigint) * interval '1 millisecond' AS t) s "
              + "WHERE t < now()")
          .execute(Tuple.tuple().addOffsetDateTime(from.atOffset(ZoneOffset.UTC)).addLong(first)
              .addLong(Math.min(count, first + CHUNK)).addInteger(jobs).addLong(spanMs).addLong(count)
              .addString(prefix).addInteger(width).addInteger(failEvery)));
    }
  }
}
