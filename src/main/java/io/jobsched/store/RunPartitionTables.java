package io.jobsched.store;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

/**
 * The month table a run lives in, named as {@code jobsched_ensure_run_partition} (V006) names it:
 * {@code runs_YYYY_MM}, by the UTC month of its fire time. Hot reads address it directly rather than the
 * partitioned parent: Postgres 15 locks every partition and index of a generic plan over the parent at
 * each execution, so with a year of partitions a worker's claimed read cost about 35 % more than with one
 * (pgbench, 14 partitions: 0.070 ms against 0.052 ms addressed). A month without its own table (runs far
 * ahead land in {@code runs_default}; an archived month is gone) is read through the parent ({@link #query}).
 *
 * <p>The name goes into SQL text as an identifier; it is made here from digits only, never from input.
 */
final class RunPartitionTables {
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("'runs_'uuuu_MM").withZone(ZoneOffset.UTC);

  private RunPartitionTables() {}

  /** The month table of {@code scheduledFor}, or the parent {@code runs} for a year no month table can have. */
  static String of(Instant scheduledFor) {
    int year = scheduledFor.atOffset(ZoneOffset.UTC).getYear();
    return year >= 2000 && year <= 9999 ? MONTH.format(scheduledFor) : "runs";
  }

  /**
   * Runs the statement {@code sqlOver} makes for {@code table}; when that month has no table, the one it makes
   * for the parent {@code runs}.
   */
  static Future<RowSet<Row>> query(SqlClient client, Function<String, String> sqlOver, String table, Tuple params) {
    return client.preparedQuery(sqlOver.apply(table)).execute(params)
        .recover(err -> missing(err) ? client.preparedQuery(sqlOver.apply("runs")).execute(params)
            : Future.failedFuture(err));
  }

  /** True when {@code err} says the addressed table does not exist (SQLSTATE 42P01). */
  private static boolean missing(Throwable err) {
    return err instanceof PgException pg && "42P01".equals(pg.getSqlState());
  }
}
