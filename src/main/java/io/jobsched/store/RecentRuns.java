package io.jobsched.store;

import io.jobsched.run.RunStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The newest runs of a page of jobs (the dashboard's history strip), in one statement: per job, a backward scan
 * of the (job_id, scheduled_for, ...) unique index, stopped after {@code n} runs. Only fires of the last
 * {@value #WINDOW_DAYS} days are read, which prunes the scan to the newest one or two month tables, so a page
 * of jobs never walks a year of history; a job that ran rarely shows a shorter strip.
 */
public final class RecentRuns {
  public static final int WINDOW_DAYS = 35;
  public static final int MAX = 30;

  /** One run of a strip. */
  public record Recent(UUID id, RunStatus status, Instant scheduledFor, int attempt) {}

  private static final String SQL = "SELECT j.id AS job_id, r.id, r.status, r.scheduled_for, r.attempt "
      + "FROM UNNEST($1::text[]) AS j(id) CROSS JOIN LATERAL (SELECT id, status, scheduled_for, attempt FROM runs "
      + "WHERE job_id = j.id AND scheduled_for <= now() AND scheduled_for > now() - make_interval(days => $3) "
      + "ORDER BY scheduled_for DESC, attempt DESC LIMIT $2) r";

  private final Pool pool;

  public RecentRuns(Pool pool) {
    this.pool = pool;
  }

  /** Up to {@code n} (at most {@value #MAX}) newest runs of each job, newest first; a job without any is absent. */
  public Future<Map<String, List<Recent>>> of(List<String> jobIds, int n) {
    if (jobIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery(SQL)
        .execute(Tuple.tuple().addArrayOfString(jobIds.toArray(String[]::new)).addInteger(Math.min(n, MAX))
            .addInteger(WINDOW_DAYS))
        .map(rows -> {
          Map<String, List<Recent>> out = new HashMap<>();
          for (Row r : rows) {
            out.computeIfAbsent(r.getString("job_id"), k -> new ArrayList<>()).add(new Recent(r.getUUID("id"),
                RunStatus.valueOf(r.getString("status")), Times.instant(r.getOffsetDateTime("scheduled_for")),
                r.getInteger("attempt")));
          }
          return out;
        });
  }
}
