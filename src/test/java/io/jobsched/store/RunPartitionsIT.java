package io.jobsched.store;

import io.jobsched.it.NodeExtension;
import io.jobsched.run.FollowUp;
import io.jobsched.run.Run;
import io.jobsched.run.RunIds;
import io.jobsched.run.RunStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a year and more of history (24 monthly run partitions, a run in each), every statement that
 * addresses runs by id — the worker's claimed read, RUNNING mark, result, hand-back and cancel check, the
 * reaper's fence, the API's get and cancel — reads exactly one partition: the one the run id names.
 * Measured with {@code EXPLAIN (ANALYZE)} of the statements as the store sends them, each in a transaction
 * that is rolled back. Job-wide statements (a job's history page, the overlap check, pause) read the
 * partitions' small per-job indexes and are not covered here.
 */
class RunPartitionsIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("partitions", conf -> conf.getJsonObject("node")
      .put("roles", new JsonArray().add("api")));

  private static final Vertx VERTX = Vertx.vertx();
  private static final RunIds IDS = new RunIds();
  private static Pool pg;
  private static Run pending;
  private static Run running;
  private static String partition;

  @BeforeAll
  static void aYearAndMoreOfRuns() throws Exception {
    pg = Pools.create(VERTX, NODE.get().config().postgres());
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    await(pg.query("INSERT INTO jobs (id, namespace, name, spec, schedule_type, resource_class, priority, shard, task_kind) "
        + "VALUES ('pj', 'default', 'pj', '{}', 'at', 'default', 0, 0, 'noop')").execute());
    OffsetDateTime month = now.atOffset(ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
    for (int m = -12; m < 12; m++) {
      OffsetDateTime at = month.plusMonths(m).plusDays(3);
      await(pg.preparedQuery("SELECT jobsched_ensure_run_partition($1)").execute(Tuple.of(at)));
      if (m != 0) {
        insert(at.toInstant(), "PENDING", null);
      }
    }
    pending = byId(insert(now, "PENDING", null), now);
    Instant earlier = now.minusSeconds(1);
    running = byId(insert(earlier, "RUNNING", 7L), earlier);
    partition = "runs_" + month.getYear() + "_" + String.format("%02d", month.getMonthValue());
    long partitions = await(pg.query("SELECT count(*) FROM pg_inherits WHERE inhparent = 'runs'::regclass").execute())
        .iterator().next().getLong(0);
    assertThat(partitions).as("monthly partitions and the default one").isGreaterThanOrEqualTo(25);
  }

  @AfterAll
  static void close() throws Exception {
    await(pg.close());
    await(VERTX.close());
  }

  @Test
  void the_workers_statements_read_one_partition() throws Exception {
    assertThat(touched(RunStore.CLAIMED, Tuple.tuple().addArrayOfUUID(new UUID[] {pending.id()})
        .addArrayOfOffsetDateTime(new OffsetDateTime[] {Times.odt(RunIds.scheduledMillis(pending.id()))})))
        .as("claimed read").containsExactly(partition);
    assertThat(touched(RunningRunStore.MARK_RUNNING, RunningRunStore.startParams(
        List.of(new RunningRunStore.Start(pending, 5, System.nanoTime())), "w1", System.nanoTime())))
        .as("RUNNING mark").containsExactly(partition);
    long now = System.nanoTime();
    assertThat(touched(RunResults.FINISH, RunResults.params(List.of(new RunResults.Outcome(pending.id(),
        pending.scheduledFor(), 5, RunStatus.SUCCESS, 0, null, null, FollowUp.NONE, "w1", now - 1000, now)), now)))
        .as("result").containsExactly(partition);
    FollowUp notifying = new FollowUp(null, null, 0, List.of(new io.jobsched.run.Notice(0, io.jobsched.job.NotifyEvent.SUCCESS,
        new io.jobsched.job.NotifyTarget.EventBus("a"))));
    assertThat(touched(RunResults.FINISH_NOTIFYING, RunResults.params(List.of(new RunResults.Outcome(pending.id(),
        pending.scheduledFor(), 5, RunStatus.SUCCESS, 0, null, null, notifying, "w1", now - 1000, now)), now)))
        .as("a result that owes a notification").containsExactly(partition);
    assertThat(touched(RunningRunStore.HAND_BACK, Tuple.of(running.id(), Times.odt(running.scheduledFor()), 7L)))
        .as("hand-back").containsExactly(partition);
    assertThat(touched(RunStore.CANCEL_REQUESTED, Tuple.tuple().addArrayOfUUID(new UUID[] {running.id()})
        .addArrayOfOffsetDateTime(new OffsetDateTime[] {Times.odt(running.scheduledFor())})))
        .as("cancel check of started runs").containsExactly(partition);
  }

  @Test
  void the_reapers_and_the_apis_statements_read_one_partition() throws Exception {
    assertThat(touched(RunStore.FENCE, Tuple.of(pending.id(), Times.odt(pending.scheduledFor()), 9L)))
        .as("fence").containsExactly(partition);
    assertThat(touched(RunStore.BY_ID, Tuple.of(pending.id(), Times.odt(RunIds.scheduledMillis(pending.id())))))
        .as("get by id").containsExactly(partition);
    assertThat(touched(RunStore.byId(Notifications.RUN_COLUMNS, "runs", true),
        Tuple.of(pending.id(), Times.odt(RunIds.scheduledMillis(pending.id())))))
        .as("get by id with its notifications (the API's lookup)").containsExactly(partition);
    assertThat(touched(RunStore.REQUEST_CANCEL, Tuple.of(pending.id(), Times.odt(pending.scheduledFor()))))
        .as("cancel").containsExactly(partition);
  }

  @Test
  void reads_addressed_to_a_month_table_fall_back_to_the_parent_for_a_month_without_one() throws Exception {
    RunStore store = new RunStore(pg);
    Instant farAhead = Instant.now().plus(java.time.Duration.ofDays(5 * 366));
    UUID inDefault = insert(farAhead, "PENDING", null);
    assertThat(touched(RunStore.byIdIn("runs"), Tuple.of(inDefault, Times.odt(RunIds.scheduledMillis(inDefault)))))
        .as("a month without its own table").containsExactly("runs_default");
    assertThat(await(store.get(inDefault))).map(Run::id).contains(inDefault);
    assertThat(await(store.get(pending.id()))).map(Run::id).contains(pending.id());
    assertThat(touched(RunStore.byIdIn(RunPartitionTables.of(pending.scheduledFor())),
        Tuple.of(pending.id(), Times.odt(RunIds.scheduledMillis(pending.id()))))).containsExactly(partition);
    // one batch naming this month's table and the default partition
    List<RunStore.ClaimedRun> claimed = await(store.claimed(List.of(new io.jobsched.queue.Claim(pending.id(), 1, 0),
        new io.jobsched.queue.Claim(inDefault, 1, 0))));
    assertThat(claimed).extracting(c -> c.run().id()).containsExactlyInAnyOrder(pending.id(), inDefault);
    assertThat(await(store.get(IDS.forFire(Instant.now())))).as("no such run").isEmpty();
  }

  /** The run partitions the statement read, by EXPLAIN ANALYZE in a transaction rolled back after. */
  private static Set<String> touched(String sql, Tuple params) throws Exception {
    Object plan = await(pg.getConnection().compose(conn -> conn.begin().compose(tx -> conn
            .preparedQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + sql).execute(params)
            .eventually(tx::rollback))
        .eventually(conn::close)))
        .iterator().next().getValue(0);
    Set<String> out = new TreeSet<>();
    walk(plan instanceof String text ? new JsonArray(text) : plan, out);
    return out;
  }

  private static void walk(Object node, Set<String> out) {
    if (node instanceof JsonArray array) {
      array.forEach(child -> walk(child, out));
    } else if (node instanceof JsonObject object) {
      String relation = object.getString("Relation Name");
      Number loops = object.getNumber("Actual Loops");
      if (relation != null && relation.startsWith("runs_") && loops != null && loops.doubleValue() > 0) {
        out.add(relation);
      }
      object.forEach(e -> walk(e.getValue(), out));
    }
  }

  private static UUID insert(Instant scheduledFor, String status, Long token) throws Exception {
    UUID id = IDS.forFire(scheduledFor);
    await(pg.preparedQuery("INSERT INTO runs (id, job_id, namespace, scheduled_for, attempt, trigger, status, "
            + "resource_class, task_kind, priority, due_at, token, started_at) VALUES ($1, 'pj', 'default', $2, 1, "
            + "'schedule', $3, 'default', 'noop', 0, $2, $4, CASE WHEN $3 = 'RUNNING' THEN now() END)")
        .execute(Tuple.of(id, Times.odt(scheduledFor), status, token)));
    return id;
  }

  private static Run byId(UUID id, Instant scheduledFor) throws Exception {
    Row row = await(pg.preparedQuery(RunStore.BY_ID).execute(Tuple.of(id, Times.odt(scheduledFor)))).iterator().next();
    return RunRows.from(row);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
