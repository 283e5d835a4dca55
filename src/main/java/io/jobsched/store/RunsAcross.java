package io.jobsched.store;

import io.jobsched.run.Run;
import io.jobsched.run.RunIds;
import io.jobsched.run.RunStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Runs across jobs, newest first, for {@code GET /api/v1/runs}. A run id leads with its fire time's millisecond
 * ({@link RunIds}), so the primary key (id, scheduled_for) of each month orders runs by fire time: a page walks it
 * backwards from the cursor. Filters (status, job, namespaces) are applied to at most {@link #SCAN} rows a page,
 * so a filter that matches little never scans a year of history: such a page comes back short, or empty, with a
 * cursor to go on from where its scan stopped.
 */
public final class RunsAcross {
  /** Rows a page looks at, at most. */
  public static final int SCAN = 5_000;
  private static final String SCANNED = "SELECT id, scheduled_for, status, job_id, namespace FROM runs "
      + "WHERE id < $1 AND scheduled_for >= $2 AND scheduled_for < $3 ORDER BY id DESC LIMIT $4";
  private static final String FULL = "SELECT " + RunRows.COLUMNS + " FROM UNNEST($1::uuid[], $2::timestamptz[]) "
      + "AS u(id, scheduled_for) JOIN runs r USING (id, scheduled_for) ORDER BY id DESC";

  /** A page: its runs and where the next one starts (null: nothing older matches). */
  public record Page(List<Run> runs, UUID next) {}

  private final Pool pool;

  public RunsAcross(Pool pool) {
    this.pool = pool;
  }

  /** {@code namespaces} null: any; {@code before} null: from the newest. */
  public Future<Page> page(RunStatus status, String jobId, Set<String> namespaces, Instant since, Instant until,
                           UUID before, int limit) {
    UUID from = before != null ? before : new UUID(-1L, -1L);
    OffsetDateTime lo = Times.odt(since != null ? since : Instant.EPOCH);
    OffsetDateTime hi = Times.odt(until != null ? until : Instant.parse("9999-01-01T00:00:00Z"));
    return pool.preparedQuery(SCANNED).execute(Tuple.of(from, lo, hi, SCAN)).compose(rows -> {
      List<UUID> ids = new ArrayList<>();
      List<OffsetDateTime> times = new ArrayList<>();
      UUID last = null;
      for (Row r : rows) {
        last = r.getUUID(0);
        if ((status == null || status.name().equals(r.getString(2))) && (jobId == null || jobId.equals(r.getString(3)))
            && (namespaces == null || namespaces.contains(r.getString(4)))) {
          ids.add(last);
          times.add(r.getOffsetDateTime(1));
          if (ids.size() == limit) {
            break;
          }
        }
      }
      // full: go on after the last match; the scan ran out: after the last row looked at; else the end
      UUID next = ids.size() == limit ? ids.get(ids.size() - 1) : rows.size() == SCAN ? last : null;
      if (ids.isEmpty()) {
        return Future.succeededFuture(new Page(List.of(), next));
      }
      return pool.preparedQuery(FULL).execute(Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new))
              .addArrayOfOffsetDateTime(times.toArray(OffsetDateTime[]::new)))
          .map(full -> {
            List<Run> out = new ArrayList<>(full.size());
            full.forEach(r -> out.add(RunRows.from(r)));
            return new Page(out, next);
          });
    });
  }
}
