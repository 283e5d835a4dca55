package io.jobsched.scheduler;

import io.jobsched.job.FirePlan;
import io.jobsched.job.FirePlanner;
import io.jobsched.job.Job;
import io.jobsched.job.OverlapPolicy;
import io.jobsched.job.PlannedFire;
import io.jobsched.metrics.JobschedMetrics;
import io.jobsched.queue.QueuedRun;
import io.jobsched.queue.RunQueue;
import io.jobsched.run.RunIds;
import io.jobsched.run.Notice;
import io.jobsched.run.RunStatus;
import io.jobsched.run.Trigger;
import io.jobsched.store.JobStore;
import io.jobsched.store.NewRun;
import io.jobsched.store.RunStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Turns due jobs into runs: one transaction locks a batch of due jobs ({@code FOR UPDATE SKIP LOCKED}),
 * inserts their runs ({@code ON CONFLICT DO NOTHING}) and advances {@code next_fire_at}; only after the
 * commit are the new runs added to Redis. A crash between the two is healed by the reaper, which
 * re-enqueues PENDING runs Redis does not hold.
 */
public final class Promoter {
  private static final String SELECT_DUE = "SELECT id, version, spec::text AS spec, next_fire_at, now() AS db_now FROM jobs "
      + "WHERE shard = ANY($1) AND NOT paused AND next_fire_at <= now() + $2::bigint * interval '1 millisecond' "
      + "ORDER BY next_fire_at LIMIT $3 FOR UPDATE SKIP LOCKED";
  private static final String ADVANCE = "UPDATE jobs j SET next_fire_at = u.next_fire_at "
      + "FROM UNNEST($1::text[], $2::timestamptz[]) AS u(id, next_fire_at) WHERE j.id = u.id";

  /** What one promotion pass did. */
  public record Result(int jobs, int runsQueued, int runsSkipped) {}

  private final JobStore jobs;
  private final RunStore runs;
  private final RunQueue queue;
  private final FirePlanner planner;
  private final RunIds ids;
  private final LookAhead lookAhead;
  private final Duration misfireThreshold;
  private final int batchSize;
  private final JobschedMetrics metrics;

  public Promoter(JobStore jobs, RunStore runs, RunQueue queue, RunIds ids, LookAhead lookAhead,
                  Duration misfireThreshold, int batchSize, JobschedMetrics metrics) {
    this.jobs = jobs;
    this.runs = runs;
    this.queue = queue;
    this.ids = ids;
    this.lookAhead = lookAhead;
    this.misfireThreshold = misfireThreshold;
    this.batchSize = batchSize;
    this.metrics = metrics;
    this.planner = new FirePlanner(misfireThreshold, 1000);
  }

  /** How far ahead fires are promoted now. */
  public Duration lookAhead() {
    return lookAhead.current();
  }

  /** When to estimate the look-ahead again. */
  public Duration lookAheadCheckDelay() {
    return lookAhead.checkDelay();
  }

  public int batchSize() {
    return batchSize;
  }

  /**
   * Counts the jobs of {@code shards} due within the look-ahead's horizon (up to what still matters) and
   * sets the look-ahead from it; resolves to the new look-ahead.
   */
  public Future<Duration> adjustLookAhead(int[] shards) {
    return jobs.pool().preparedQuery("SELECT count(*) FROM (SELECT 1 FROM jobs WHERE shard = ANY($1) AND NOT paused "
            + "AND next_fire_at <= now() + $2::bigint * interval '1 millisecond' LIMIT $3) coming")
        .execute(Tuple.of(toIntegers(shards), lookAhead.horizon().toMillis(), lookAhead.countCap()))
        .map(rows -> lookAhead.update(rows.iterator().next().getLong(0)));
  }

  /** Promotes at most one batch of due jobs of {@code shards}. */
  public Future<Result> promoteOnce(int[] shards) {
    List<QueuedRun> toQueue = new ArrayList<>();
    // Losing this commit in a Postgres crash loses the runs and the next_fire_at advance together, so the
    // fires are promoted again: no need to wait for the WAL flush (queue entries of lost rows are released
    // by the worker, whose PENDING check finds no row).
    return jobs.pool().withTransaction(conn -> conn.query("SET LOCAL synchronous_commit = off").execute()
        .compose(x -> conn.preparedQuery(SELECT_DUE)
            .execute(Tuple.of(toIntegers(shards), lookAhead.current().toMillis(), batchSize)))
            .compose(rows -> {
              List<DueJob> due = new ArrayList<>(rows.size());
              for (Row r : rows) {
                due.add(new DueJob(jobs.definition(r.getString("id"), r.getLong("version"), r.getString("spec")),
                    r.getLong("version"), r.getOffsetDateTime("next_fire_at").toInstant(),
                    r.getOffsetDateTime("db_now").toInstant()));
              }
              // rows come oldest fire first: the first one says how far behind the pass is
              metrics.promotionLag(due.isEmpty() ? Duration.ZERO : Duration.between(due.get(0).nextFireAt(), due.get(0).dbNow()));
              return due.isEmpty() ? Future.succeededFuture(new Result(0, 0, 0)) : materialise(conn, due, toQueue);
            }))
        .compose(result -> toQueue.isEmpty()
            ? Future.succeededFuture(result)
            : queue.enqueue(toQueue).map(added -> result));
  }

  /** A due job at {@code version}: the one its runs record ({@code runs.job_version}). */
  private record DueJob(Job job, long version, Instant nextFireAt, Instant dbNow) {}

  private Future<Result> materialise(SqlConnection conn, List<DueJob> due, List<QueuedRun> toQueue) {
    String[] jobIds = due.stream().map(d -> d.job().id()).toArray(String[]::new);
    List<NewRun> newRuns = new ArrayList<>();
    OffsetDateTime[] next = new OffsetDateTime[due.size()];
    for (int i = 0; i < due.size(); i++) {
      DueJob d = due.get(i);
      FirePlan plan = planner.plan(d.job().schedule(), d.job().misfire(), d.nextFireAt(), d.dbNow(), lookAhead.current());
      for (PlannedFire fire : plan.fires()) {
        newRuns.add(toRun(d, fire));
      }
      next[i] = plan.nextFireAt().map(t -> t.atOffset(ZoneOffset.UTC)).orElse(null);
    }
    return runs.insert(conn, newRuns)
        .compose(inserted -> conn.preparedQuery(ADVANCE)
            .execute(Tuple.tuple().addArrayOfString(jobIds).addArrayOfOffsetDateTime(next))
            .map(x -> {
              Set<UUID> insertedIds = new HashSet<>(inserted);
              int skipped = 0;
              for (NewRun r : newRuns) {
                if (!insertedIds.contains(r.id())) {
                  continue;
                }
                if (r.status() == RunStatus.PENDING) {
                  toQueue.add(r.queued());
                } else {
                  skipped++;
                }
              }
              return new Result(due.size(), toQueue.size(), skipped);
            }));
  }

  /**
   * A planned fire becomes a PENDING run, or a SKIPPED one (misfire). Overlap ({@code forbid},
   * {@code replace}) is judged when the run would start (the worker's OverlapGate): a fire promoted ahead of
   * time cannot know whether the run before it will still be running by then.
   */
  private NewRun toRun(DueJob d, PlannedFire fire) {
    Job job = d.job();
    boolean missed = Duration.between(fire.scheduledFor(), d.dbNow()).compareTo(misfireThreshold) > 0;
    Trigger trigger = missed ? Trigger.MISFIRE : Trigger.SCHEDULE;
    RunStatus status = RunStatus.PENDING;
    String reason = null;
    if (fire.outcome() == PlannedFire.Outcome.SKIP) {
      status = RunStatus.SKIPPED;
      reason = fire.reason();
    }
    return new NewRun(ids.forFire(fire.scheduledFor()), job.id(), job.namespace(), fire.scheduledFor(), 1, trigger, status, reason,
        job.resourceClass(), job.task().type(), job.priority(), fire.scheduledFor(), null, null, d.version(), job.needs(),
        status == RunStatus.SKIPPED ? Notice.owed(job, status) : List.of());
  }

  private static Integer[] toIntegers(int[] shards) {
    Integer[] out = new Integer[shards.length];
    for (int i = 0; i < shards.length; i++) {
      out[i] = shards[i];
    }
    return out;
  }
}
