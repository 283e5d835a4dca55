package io.jobsched.it;

import io.jobsched.run.FollowUp;
import io.jobsched.run.RunStatus;
import io.jobsched.store.RunResults;
import io.jobsched.store.RunResults.Outcome;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thousand results recorded by one statement, as the result batching does under load: every timed-out run
 * fires the shared handler job once, every upstream run chains once, and repeating the statement doubles
 * nothing. Counted in Postgres. The node has the API role only, so nothing else touches these rows.
 */
class FollowUpsAtScaleIT {
  private static final int N = 1000;
  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";

  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("followups_scale",
      conf -> conf.getJsonObject("node").put("roles", new JsonArray().add("api")));

  private static RunRowsFixture rows;
  private static RunResults results;

  @BeforeAll
  static void connect() {
    rows = new RunRowsFixture(NODE.get());
    results = new RunResults(rows.pg);
  }

  @AfterAll
  static void close() throws Exception {
    rows.close();
  }

  private static void job(String body) throws Exception {
    assertThat(NODE.get().post("/api/v1/jobs", body).status()).isEqualTo(201);
  }

  @Test
  void a_thousand_timeouts_in_one_statement_fire_a_thousand_handler_runs_once() throws Exception {
    job("{\"id\":\"pager\",\"schedule\":" + NEVER + ",\"task\":{\"type\":\"noop\"}}");
    job("{\"id\":\"victim\",\"schedule\":" + NEVER + ",\"task\":{\"type\":\"noop\"},"
        + "\"on_timeout\":{\"action\":\"handler\",\"handler_job_id\":\"pager\"}}");
    List<Outcome> outcomes = rows.running("victim", N, Instant.parse("2026-06-01T00:00:00Z"), 7).stream()
        .map(r -> new Outcome(r.id(), r.scheduledFor(), 7, RunStatus.TIMED_OUT, null, "timed out", "timeout",
            new FollowUp(null, "pager"))).toList();

    RunResults.Recorded first = await(results.recordAll(outcomes), 60);
    assertThat(first.runs()).hasSize(N);
    assertThat(first.followUps()).hasSize(N);
    assertThat(rows.count("SELECT count(*) FROM runs WHERE job_id = 'pager'")).isEqualTo(N);
    assertThat(rows.count("SELECT count(DISTINCT h.context->>'timed_out_run_id') FROM runs h JOIN runs v "
        + "ON v.id::text = h.context->>'timed_out_run_id' WHERE h.job_id = 'pager' AND v.status = 'TIMED_OUT'"))
        .as("each handler run names its own timed-out run").isEqualTo(N);
    assertThat(rows.count("SELECT count(*) FROM runs WHERE job_id = 'pager' AND (substr(id::text, 15, 1) <> '7' "
        + "OR ('x' || left(replace(id::text, '-', ''), 12))::bit(48)::bigint "
        + "<> floor(extract(epoch FROM scheduled_for) * 1000)::bigint)"))
        .as("version 7 ids carrying their fire time").isZero();

    RunResults.Recorded again = await(results.recordAll(outcomes), 60);
    assertThat(again.runs()).as("a repeated statement is fenced").isEmpty();
    assertThat(rows.count("SELECT count(*) FROM runs WHERE job_id = 'pager'")).isEqualTo(N);
  }

  @Test
  void a_thousand_upstream_results_in_one_statement_chain_a_thousand_runs_once() throws Exception {
    job("{\"id\":\"extract\",\"schedule\":" + NEVER + ",\"task\":{\"type\":\"noop\"}}");
    job("{\"id\":\"load\",\"schedule\":{\"type\":\"after\",\"job_id\":\"extract\"},\"task\":{\"type\":\"noop\"}}");
    List<Outcome> outcomes = rows.running("extract", N, Instant.parse("2026-06-02T00:00:00Z"), 9).stream()
        .map(r -> new Outcome(r.id(), r.scheduledFor(), 9, RunStatus.SUCCESS, 0, null, null, FollowUp.NONE)).toList();

    assertThat(await(results.recordAll(outcomes), 60).followUps()).hasSize(N);
    assertThat(rows.count("SELECT count(*) FROM runs WHERE job_id = 'load' AND trigger = 'after' "
        + "AND status = 'PENDING'")).isEqualTo(N);
    assertThat(rows.count("SELECT count(DISTINCT context->>'upstream_run_id') FROM runs WHERE job_id = 'load'"))
        .isEqualTo(N);
    await(results.recordAll(outcomes), 60);
    assertThat(rows.count("SELECT count(*) FROM runs WHERE job_id = 'load'")).isEqualTo(N);
  }

  @Test
  void retries_of_many_fires_recorded_together_are_each_created_once() throws Exception {
    job("{\"id\":\"flaky\",\"schedule\":" + NEVER + ",\"task\":{\"type\":\"noop\"},\"retry\":{\"max_attempts\":2}}");
    List<Outcome> outcomes = rows.running("flaky", N, Instant.parse("2026-06-03T00:00:00Z"), 3).stream()
        .map(r -> new Outcome(r.id(), r.scheduledFor(), 3, RunStatus.FAILED, 1, "boom", null,
            new FollowUp(java.time.Duration.ofSeconds(1), null))).toList();
    assertThat(await(results.recordAll(outcomes), 60).followUps()).hasSize(N);
    assertThat(rows.count("SELECT count(*) FROM runs WHERE job_id = 'flaky' AND attempt = 2 AND trigger = 'retry'"))
        .isEqualTo(N);
  }
}
