package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Retries with backoff as new attempts, timeout actions (fail, retry, handler), final-outcome chains. */
class RetriesIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("retries");

  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";
  private static final List<String> ENDED = List.of("SUCCESS", "FAILED", "TIMED_OUT", "CANCELLED", "SKIPPED");

  private static TestNode node() {
    return NODE.get();
  }

  /** Every task records its executions: attempts are counted by what ran, not only by rows. */
  private static final Executions EXEC = Executions.create("retries");

  private static String shell(String id, String schedule, String script, String extra) {
    return "{\"id\":\"" + id + "\",\"schedule\":" + schedule + ",\"task\":" + EXEC.taskJson(script) + extra + "}";
  }

  /** The exit codes of the job's executions in start order; null for one that was stopped before it ended. */
  private static List<Integer> exitCodes(String jobId) {
    return EXEC.ofJob(jobId).stream().map(Executions.Execution::exitCode).toList();
  }

  /** All attempts of the job, oldest first, once {@code count} of them have ended. */
  private static List<JsonObject> endedAttempts(String jobId, int count) throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> attempts(jobId).stream()
        .filter(r -> ENDED.contains(r.getString("status"))).count() >= count);
    return attempts(jobId);
  }

  private static List<JsonObject> attempts(String jobId) throws Exception {
    JsonArray items = node().get("/api/v1/jobs/" + jobId + "/runs?limit=100").body().getJsonArray("items");
    return items.stream().map(o -> (JsonObject) o).sorted(Comparator.comparing(r -> r.getInteger("attempt"))).toList();
  }

  @Test
  void a_failing_job_is_retried_with_backoff_as_new_attempts_and_ends_failed() throws Exception {
    node().post("/api/v1/jobs", shell("always-fails", "{\"type\":\"once\"}", "exit 1",
        ",\"retry\":{\"max_attempts\":3,\"initial_delay\":\"PT0.5S\",\"multiplier\":2.0,\"jitter\":0}"));
    List<JsonObject> runs = endedAttempts("always-fails", 3);
    assertThat(runs).extracting(r -> r.getInteger("attempt")).containsExactly(1, 2, 3);
    assertThat(runs).extracting(r -> r.getString("status")).containsOnly("FAILED");
    assertThat(runs).extracting(r -> r.getString("reason")).containsExactly(null, null, "retries_exhausted");
    assertThat(runs).extracting(r -> r.getString("error")).containsOnly("exit code 1");
    assertThat(runs).extracting(r -> r.getString("trigger")).containsExactly("schedule", "retry", "retry");
    assertThat(runs).extracting(r -> r.getString("scheduled_for")).containsOnly(runs.get(0).getString("scheduled_for"));
    assertThat(runs.get(1).getJsonObject("context").getString("previous_run_id")).isEqualTo(runs.get(0).getString("id"));
    // backoff: 0.5 s before attempt 2, 1 s before attempt 3
    assertThat(gap(runs.get(0), runs.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    assertThat(gap(runs.get(1), runs.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30)).until(() -> attempts("always-fails").size() == 3);
    assertThat(attempts("always-fails")).as("no fourth attempt").hasSize(3);
    assertThat(EXEC.ofJob("always-fails")).as("one execution per attempt").extracting(Executions.Execution::runId)
        .containsExactlyElementsOf(runs.stream().map(r -> r.getString("id")).toList());
    assertThat(exitCodes("always-fails")).containsExactly(1, 1, 1);
  }

  private static Duration gap(JsonObject earlier, JsonObject later) {
    return Duration.between(Instant.parse(earlier.getString("finished_at")), Instant.parse(later.getString("started_at")));
  }

  @Test
  void a_job_that_succeeds_on_its_second_attempt_stops_there() throws Exception {
    node().post("/api/v1/jobs", shell("second-time-lucky", "{\"type\":\"once\"}", "[ \"$JOBSCHED_ATTEMPT\" -ge 2 ]",
        ",\"retry\":{\"max_attempts\":5,\"initial_delay\":\"PT0.2S\",\"jitter\":0}"));
    List<JsonObject> runs = endedAttempts("second-time-lucky", 2);
    assertThat(runs).extracting(r -> r.getString("status")).containsExactly("FAILED", "SUCCESS");
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30)).until(() -> attempts("second-time-lucky").size() == 2);
    assertThat(exitCodes("second-time-lucky")).containsExactly(1, 0);
  }

  @Test
  void on_timeout_retry_retries_and_on_timeout_fail_does_not() throws Exception {
    String slow = "exec sleep 30";
    node().post("/api/v1/jobs", shell("slow-retry", "{\"type\":\"once\"}", slow, ",\"timeout\":\"PT1S\","
        + "\"on_timeout\":{\"action\":\"retry\",\"grace\":\"PT0S\"},\"retry\":{\"max_attempts\":2,\"initial_delay\":\"PT0.1S\"}"));
    node().post("/api/v1/jobs", shell("slow-fail", "{\"type\":\"once\"}", slow, ",\"timeout\":\"PT1S\","
        + "\"on_timeout\":{\"action\":\"fail\",\"grace\":\"PT0S\"},\"retry\":{\"max_attempts\":2,\"initial_delay\":\"PT0.1S\"}"));
    assertThat(endedAttempts("slow-retry", 2)).extracting(r -> r.getString("status")).containsExactly("TIMED_OUT", "TIMED_OUT");
    List<JsonObject> failed = endedAttempts("slow-fail", 1);
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30)).until(() -> attempts("slow-fail").size() == 1);
    assertThat(attempts("slow-fail")).singleElement().satisfies(r -> assertThat(r.getString("status")).isEqualTo("TIMED_OUT"));
    assertThat(exitCodes("slow-retry")).as("both attempts stopped by their timeout").containsExactly(null, null);
    assertThat(exitCodes("slow-fail")).as("stopped by its timeout, not retried").containsExactly((Integer) null);
  }

  @Test
  void on_timeout_handler_fires_the_handler_job_once_with_the_timed_out_run_in_its_context() throws Exception {
    node().post("/api/v1/jobs", shell("on-call", NEVER, "echo \"$JOBSCHED_CONTEXT\"", ""));
    node().post("/api/v1/jobs", shell("hangs", "{\"type\":\"once\"}", "exec sleep 30", ",\"timeout\":\"PT1S\","
        + "\"on_timeout\":{\"action\":\"handler\",\"handler_job_id\":\"on-call\",\"grace\":\"PT0S\"}"));
    JsonObject timedOut = endedAttempts("hangs", 1).get(0);
    assertThat(timedOut.getString("status")).isEqualTo("TIMED_OUT");
    JsonObject handler = endedAttempts("on-call", 1).get(0);
    assertThat(handler.getString("trigger")).isEqualTo("timeout_handler");
    assertThat(handler.getString("status")).isEqualTo("SUCCESS");
    assertThat(handler.getJsonObject("context").getString("timed_out_run_id")).isEqualTo(timedOut.getString("id"));
    assertThat(attempts("on-call")).hasSize(1);
    assertThat(attempts("hangs")).as("handler instead of retry").hasSize(1);
    assertThat(exitCodes("on-call")).as("the handler executed once").containsExactly(0);
  }

  @Test
  void a_failure_chain_fires_once_after_the_last_attempt_not_after_each() throws Exception {
    node().post("/api/v1/jobs", shell("retried-upstream", NEVER, "exit 2",
        ",\"retry\":{\"max_attempts\":3,\"initial_delay\":\"PT0.2S\",\"jitter\":0}"));
    node().post("/api/v1/jobs", shell("cleanup", "{\"type\":\"after\",\"job_id\":\"retried-upstream\",\"on\":\"failure\"}",
        "true", ""));
    node().post("/api/v1/jobs/retried-upstream/trigger", "");
    endedAttempts("retried-upstream", 3);
    List<JsonObject> cleanup = endedAttempts("cleanup", 1);
    assertThat(cleanup).singleElement().satisfies(r -> assertThat(r.getJsonObject("context").getString("upstream_run_id"))
        .isEqualTo(attempts("retried-upstream").get(2).getString("id")));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30)).until(() -> attempts("cleanup").size() == 1);
    assertThat(exitCodes("retried-upstream")).containsExactly(2, 2, 2);
    assertThat(exitCodes("cleanup")).as("the chain executed once").containsExactly(0);
  }
}
