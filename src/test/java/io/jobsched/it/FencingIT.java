package io.jobsched.it;

import io.jobsched.run.FollowUp;
import io.jobsched.run.RunStatus;
import io.jobsched.store.RunResults;
import io.jobsched.store.RunResults.Outcome;
import io.jobsched.store.RunStore;
import io.jobsched.store.RunningRunStore;
import io.jobsched.store.RunningRunStore.Start;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guarantee 3 on the Postgres side: every write after a claim is conditional on the claim's token and on
 * the status it moves from, so a worker that lost its claim is refused by the database itself, and a
 * terminal status never changes. The node has the API role only, so nothing else touches these rows.
 */
class FencingIT {
  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";

  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("fencing",
      conf -> conf.getJsonObject("node").put("roles", new JsonArray().add("api")));

  private static RunRowsFixture rows;
  private static RunResults results;
  private static RunStore runs;
  private static RunningRunStore running;

  @BeforeAll
  static void connect() throws Exception {
    rows = new RunRowsFixture(NODE.get());
    results = new RunResults(rows.pg);
    runs = new RunStore(rows.pg);
    running = new RunningRunStore(rows.pg);
    assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"fenced\",\"schedule\":" + NEVER
        + ",\"task\":{\"type\":\"noop\"},\"retry\":{\"max_attempts\":3},\"overlap\":\"forbid\"}").status()).isEqualTo(201);
  }

  @AfterAll
  static void close() throws Exception {
    rows.close();
  }

  private static RunRowsFixture.Row1 runningUnder(long token, Instant at) throws Exception {
    return rows.running("fenced", 1, at, token).get(0);
  }

  private static Outcome outcome(RunRowsFixture.Row1 run, long token, RunStatus status) {
    return new Outcome(run.id(), run.scheduledFor(), token, status, 0, null, null,
        status == RunStatus.FAILED ? new FollowUp(java.time.Duration.ZERO, null) : FollowUp.NONE);
  }

  private static String status(UUID id) throws Exception {
    return await(runs.get(id), 10).orElseThrow().status().name();
  }

  @Test
  void a_result_under_a_stale_token_is_refused_by_the_database() throws Exception {
    RunRowsFixture.Row1 run = runningUnder(42, Instant.parse("2026-07-01T00:00:00Z"));

    assertThat(await(results.record(outcome(run, 41, RunStatus.FAILED)), 10)).as("stale token").isEmpty();
    assertThat(status(run.id())).isEqualTo("RUNNING");
    assertThat(rows.count("SELECT count(*) FROM runs WHERE job_id = 'fenced' AND attempt = 2"))
        .as("a fenced result creates no follow-up").isZero();

    assertThat(await(results.record(outcome(run, 42, RunStatus.SUCCESS)), 10)).isPresent();
    assertThat(status(run.id())).isEqualTo("SUCCESS");
  }

  @Test
  void a_terminal_status_never_changes_even_under_the_right_token() throws Exception {
    RunRowsFixture.Row1 run = runningUnder(7, Instant.parse("2026-07-02T00:00:00Z"));
    assertThat(await(results.record(outcome(run, 7, RunStatus.SUCCESS)), 10)).isPresent();
    Instant finished = await(runs.get(run.id()), 10).orElseThrow().finishedAt();

    assertThat(await(results.record(outcome(run, 7, RunStatus.FAILED)), 10)).isEmpty();
    assertThat(await(running.handBack(await(runs.get(run.id()), 10).orElseThrow(), 7), 10)).as("hand-back of a finished run").isEmpty();
    assertThat(await(running.markRunning(List.of(new Start(await(runs.get(run.id()), 10).orElseThrow(), 8, System.nanoTime())),
        "late"), 10)).as("start of a finished run").isEmpty();
    assertThat(await(runs.requestCancel(await(runs.get(run.id()), 10).orElseThrow()), 10)).as("cancel of a finished run").isEmpty();
    var after = await(runs.get(run.id()), 10).orElseThrow();
    assertThat(after.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(after.finishedAt()).isEqualTo(finished);
    assertThat(after.token()).isEqualTo(7L);
  }

  @Test
  void hand_back_and_overlap_skips_need_the_claims_token() throws Exception {
    RunRowsFixture.Row1 older = runningUnder(5, Instant.parse("2026-07-03T00:00:00Z"));
    RunRowsFixture.Row1 newer = runningUnder(6, Instant.parse("2026-07-03T00:00:10Z"));

    assertThat(await(running.handBack(await(runs.get(older.id()), 10).orElseThrow(), 4), 10)).isEmpty();
    assertThat(status(older.id())).isEqualTo("RUNNING");
    var newerRun = await(runs.get(newer.id()), 10).orElseThrow();
    assertThat(await(running.skipIfOverlapping(newerRun, 5, java.util.List.of()), 10)).as("someone else's token").isEmpty();
    assertThat(status(newer.id())).isEqualTo("RUNNING");
    assertThat(await(running.skipIfOverlapping(newerRun, 6, java.util.List.of()), 10)).as("its own token").isPresent();
    assertThat(status(newer.id())).isEqualTo("SKIPPED");

    assertThat(await(running.handBack(await(runs.get(older.id()), 10).orElseThrow(), 5), 10)).hasValueSatisfying(r ->
        assertThat(r.status()).isEqualTo(RunStatus.PENDING));
    assertThat(await(results.record(outcome(older, 5, RunStatus.SUCCESS)), 10))
        .as("the handed-back claim's result comes too late").isEmpty();
    assertThat(await(running.markRunning(List.of(new Start(await(runs.get(older.id()), 10).orElseThrow(), 11, System.nanoTime())),
        "next"), 10)).hasSize(1);
    assertThat(await(runs.get(older.id()), 10).orElseThrow().token()).isEqualTo(11L);
  }

  @Test
  void a_quick_tasks_result_comes_straight_from_pending_unless_the_reaper_fenced_its_claim() throws Exception {
    var quick = rows.pending("fenced", 1, Instant.parse("2026-07-04T00:00:00Z")).get(0);
    assertThat(await(results.record(outcome(quick, 30, RunStatus.SUCCESS)), 10)).as("no write before the result")
        .hasValueSatisfying(f -> assertThat(f.settled().token()).isEqualTo(30L));

    var taken = rows.pending("fenced", 1, Instant.parse("2026-07-05T00:00:00Z")).get(0);
    var takenRun = await(runs.get(taken.id()), 10).orElseThrow();
    assertThat(await(runs.fence(takenRun, 30), 10)).isTrue();
    assertThat(await(results.record(outcome(taken, 30, RunStatus.SUCCESS)), 10)).as("the fenced claim").isEmpty();
    assertThat(await(results.record(outcome(taken, 29, RunStatus.SUCCESS)), 10)).as("an older one").isEmpty();
    assertThat(await(running.markRunning(List.of(new Start(takenRun, 30, System.nanoTime())), "paused"), 10)).isEmpty();
    assertThat(status(taken.id())).isEqualTo("PENDING");

    assertThat(await(running.markRunning(List.of(new Start(takenRun, 31, System.nanoTime())), "next"), 10)).hasSize(1);
    assertThat(await(results.record(outcome(taken, 32, RunStatus.SUCCESS)), 10))
        .as("a third claim, after the second wrote RUNNING").isEmpty();
    assertThat(await(results.record(outcome(taken, 31, RunStatus.SUCCESS)), 10)).isPresent();
    assertThat(status(taken.id())).isEqualTo("SUCCESS");
  }
}
