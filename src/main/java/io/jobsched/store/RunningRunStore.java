package io.jobsched.store;

import io.jobsched.run.Notice;
import io.jobsched.run.Run;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * RUNNING rows as the recovery paths see them: a draining worker handing its runs back, and the reaper
 * looking for runs whose lease Redis lost. Writes are conditional on the claim's token, like every write
 * after a claim.
 */
public final class RunningRunStore {
  /** A RUNNING run, the token of the claim that started it, and when it started. */
  public record Held(UUID runId, String jobId, long token, Instant startedAt) {}

  /** See {@link #markRunning}. */
  static final String MARK_RUNNING = "UPDATE runs r SET status = 'RUNNING', token = u.token, "
      + "worker = $5, started_at = now() - u.ago * interval '1 microsecond' "
      + "FROM UNNEST($1::uuid[], $2::timestamptz[], $3::bigint[], $4::bigint[]) AS u(id, scheduled_for, token, ago) "
      + "WHERE r.id = u.id AND r.scheduled_for = u.scheduled_for AND r.status = 'PENDING' AND r.token IS NULL "
      + "AND u.token > coalesce(r.fence, 0) RETURNING r.*";
  /** See {@link #handBack}; the claim let go: nothing it sends later is accepted. */
  static final String HAND_BACK = "UPDATE runs SET status = 'PENDING', token = NULL, worker = NULL, started_at = NULL, "
      + "fence = greatest(coalesce(fence, 0), token), enqueued_at = now() WHERE id = $1 AND scheduled_for = $2 "
      + "AND token = $3 AND status = 'RUNNING' RETURNING " + RunRows.COLUMNS;

  private final Pool pool;

  public RunningRunStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * RUNNING runs started at least {@code settled} ago, in start order after {@code after} (null: from the
   * oldest), so a caller can page through all of them across calls (runs_running_idx).
   */
  public Future<List<Held>> startedBefore(Duration settled, Held after, int limit) {
    Instant afterStart = after == null ? Instant.EPOCH : after.startedAt();
    UUID afterId = after == null ? new UUID(0, 0) : after.runId();
    return pool.preparedQuery("SELECT id, job_id, token, started_at FROM runs WHERE status = 'RUNNING' "
            + "AND started_at <= now() - $1::bigint * interval '1 millisecond' AND (started_at, id) > ($2, $3) "
            + "ORDER BY started_at, id LIMIT $4")
        .execute(Tuple.of(settled.toMillis(), Times.odt(afterStart), afterId, limit))
        .map(rows -> {
          List<Held> out = new ArrayList<>(rows.size());
          for (Row r : rows) {
            out.add(new Held(r.getUUID("id"), r.getString("job_id"), r.getLong("token"),
                Times.instant(r.getOffsetDateTime("started_at"))));
          }
          return out;
        });
  }

  /** A task that started under {@code token} when {@link System#nanoTime()} read {@code startedNanos}. */
  public record Start(Run run, long token, long startedNanos) {}

  /**
   * Records that these runs' tasks are running: PENDING → RUNNING under each claim's token, unless another
   * claim wrote first or the reaper fenced this one. Resolves to the runs moved (the others were fenced and
   * their tasks must stop). Heap-only: none of the columns it sets is indexed.
   */
  public Future<List<Run>> markRunning(List<Start> starts, String worker) {
    // "started so long ago", measured once a connection is in hand: Postgres stamps the time
    return pool.withConnection(conn -> conn.preparedQuery(MARK_RUNNING)
        .execute(startParams(starts, worker, System.nanoTime())))
        .map(rows -> {
          List<Run> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(RunRows.from(r)));
          return out;
        });
  }

  static Tuple startParams(List<Start> starts, String worker, long nowNanos) {
    int n = starts.size();
    UUID[] ids = new UUID[n];
    OffsetDateTime[] scheduled = new OffsetDateTime[n];
    Long[] tokens = new Long[n], ago = new Long[n];
    for (int i = 0; i < n; i++) {
      Start s = starts.get(i);
      ids[i] = s.run().id();
      scheduled[i] = Times.odt(s.run().scheduledFor());
      tokens[i] = s.token();
      ago[i] = (nowNanos - s.startedNanos()) / 1000;
    }
    return Tuple.tuple().addArrayOfUUID(ids).addArrayOfOffsetDateTime(scheduled).addArrayOfLong(tokens)
        .addArrayOfLong(ago).addString(worker);
  }

  /**
   * Puts a RUNNING run back to PENDING, as if never claimed, when its worker stops before the task ends:
   * the same attempt runs again elsewhere and counts against no retry. Empty when {@code token} no longer
   * owns the run (a reaper or a cancel decided it meanwhile).
   */
  public Future<Optional<Run>> handBack(Run run, long token) {
    return pool.preparedQuery(HAND_BACK)
        .execute(Tuple.of(run.id(), Times.odt(run.scheduledFor()), token))
        .map(rows -> rows.size() == 0 ? Optional.<Run>empty() : Optional.of(RunRows.from(rows.iterator().next())));
  }

  /**
   * Overlap {@code forbid}, judged as a run starts: ends it SKIPPED (reason {@code overlap}) before its task
   * runs when another run of its job started earlier and is still RUNNING (of two starting at once, the
   * later one yields). Empty when the run may go ahead, or when {@code token} no longer owns it. The
   * {@code notices} the skip owes are written by the same statement, only when there are some.
   */
  public Future<Optional<Run>> skipIfOverlapping(Run run, long token, List<Notice> notices) {
    String encoded = Notifications.encode(notices);
    Tuple params = Tuple.of(run.id(), Times.odt(run.scheduledFor()), token);
    return pool.preparedQuery(encoded == null ? SKIP_OVERLAPPING : SKIP_OVERLAPPING_NOTIFYING)
        .execute(encoded == null ? params : params.addString(encoded))
        .map(rows -> rows.size() == 0 ? Optional.<Run>empty() : Optional.of(RunRows.from(rows.iterator().next())));
  }

  private static final String SKIP_OVERLAPPING = "UPDATE runs r SET status = 'SKIPPED', reason = 'overlap', "
      + "finished_at = now(), started_at = NULL WHERE r.id = $1 AND r.scheduled_for = $2 AND r.token = $3 "
      + "AND r.status = 'RUNNING' AND EXISTS (SELECT 1 FROM runs o WHERE o.job_id = r.job_id AND o.finished_at IS NULL "
      + "AND o.status = 'RUNNING' AND o.id <> r.id "
      + "AND (o.started_at, o.id) < (r.started_at, r.id)) RETURNING " + RunRows.COLUMNS;
  /** {@link #SKIP_OVERLAPPING} that also writes the skip's notifications ($4), with the run it skipped. */
  private static final String SKIP_OVERLAPPING_NOTIFYING = "WITH s AS (" + SKIP_OVERLAPPING + "), "
      + Notifications.insertFor("SELECT s.id, s.scheduled_for, s.job_id, $4::text FROM s") + " SELECT * FROM s";

  /**
   * Overlap {@code replace}, judged as a run starts: records a stop request on the job's other RUNNING runs
   * that started before it. Resolves to them, for their workers to be told.
   */
  public Future<List<UUID>> displaceEarlier(Run run) {
    return pool.preparedQuery("UPDATE runs SET cancel_requested_at = now() WHERE job_id = $1 AND finished_at IS NULL "
            + "AND status = 'RUNNING' "
            + "AND id <> $2 AND started_at <= $3 AND cancel_requested_at IS NULL RETURNING id")
        .execute(Tuple.of(run.jobId(), run.id(), Times.odt(run.startedAt())))
        .map(rows -> {
          List<UUID> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(r.getUUID(0)));
          return out;
        });
  }
}
