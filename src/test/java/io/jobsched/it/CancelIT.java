package io.jobsched.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** POST /runs/{id}/cancel: a running task is stopped and the run ends CANCELLED; a pending run never starts. */
class CancelIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("cancel");

  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";
  private static final Executions EXEC = Executions.create("cancel");

  private static TestNode node() {
    return NODE.get();
  }

  private static String status(String runId) throws Exception {
    return node().get("/api/v1/runs/" + runId).body().getString("status");
  }

  @Test
  void cancelling_a_running_shell_task_stops_it_and_ends_the_run_cancelled() throws Exception {
    // a grace of an hour: if the cancel waited for the grace (or for the 60 s sleep) the run could not end
    // CANCELLED within the deadline below, so no upper bound on the machine's speed is needed
    node().post("/api/v1/jobs", "{\"id\":\"long\",\"schedule\":" + NEVER + ",\"task\":"
        + EXEC.taskJson("exec sleep 60") + ",\"on_timeout\":{\"grace\":\"PT1H\"},\"retry\":{\"max_attempts\":3}}");
    String runId = node().post("/api/v1/jobs/long/trigger", "").body().getString("id");
    await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING".equals(status(runId)) && EXEC.running(runId));
    Executions.Execution execution = EXEC.ofRun(runId).get(0);
    TestNode.Reply cancel = node().post("/api/v1/runs/" + runId + "/cancel", "");
    assertThat(cancel.status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> "CANCELLED".equals(status(runId)));
    JsonObject run = node().get("/api/v1/runs/" + runId).body();
    assertThat(run.getString("reason")).isEqualTo("cancelled");
    await().atMost(Duration.ofSeconds(15)).until(() -> !execution.alive());
    assertThat(EXEC.ofRun(runId)).as("stopped, not completed").singleElement().satisfies(e -> assertThat(e.ended()).isFalse());
    assertThat(node().get("/api/v1/jobs/long/runs").body().getJsonArray("items")).as("a cancel is not retried").hasSize(1);
    TestNode.Reply again = node().post("/api/v1/runs/" + runId + "/cancel", "");
    assertThat(again.status()).isEqualTo(409);
  }

  @Test
  void a_pending_run_is_cancelled_before_it_starts() throws Exception {
    // no worker serves this resource class, so the run stays PENDING until cancelled
    node().post("/api/v1/jobs", "{\"id\":\"stuck\",\"schedule\":" + NEVER + ",\"resources\":{\"class\":\"gpu\"},"
        + "\"task\":{\"type\":\"noop\"}}");
    String runId = node().post("/api/v1/jobs/stuck/trigger", "").body().getString("id");
    assertThat(status(runId)).isEqualTo("PENDING");
    TestNode.Reply cancel = node().post("/api/v1/runs/" + runId + "/cancel", "");
    assertThat(cancel.status()).isEqualTo(202);
    assertThat(cancel.body().getString("status")).isEqualTo("CANCELLED");
    assertThat(node().post("/api/v1/runs/00000000-0000-7000-8000-000000000000/cancel", "").status()).isEqualTo(404);
  }

  @Test
  void overlap_replace_cancels_the_running_run_when_a_new_one_starts() throws Exception {
    node().post("/api/v1/jobs", "{\"id\":\"replacer\",\"schedule\":" + NEVER + ",\"overlap\":\"replace\","
        + "\"task\":" + EXEC.taskJson("exec sleep 60") + ",\"on_timeout\":{\"grace\":\"PT1S\"}}");
    String first = node().post("/api/v1/jobs/replacer/trigger", "").body().getString("id");
    await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING".equals(status(first)) && EXEC.running(first));
    String second = node().post("/api/v1/jobs/replacer/trigger", "").body().getString("id");
    await().atMost(Duration.ofSeconds(60)).until(() -> "CANCELLED".equals(status(first)));
    await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING".equals(status(second)) && EXEC.running(second));
    Executions.Execution replaced = EXEC.ofRun(first).get(0);
    await().atMost(Duration.ofSeconds(15)).until(() -> !replaced.alive());
    assertThat(replaced.ended()).as("the replaced execution was stopped").isFalse();
    node().post("/api/v1/runs/" + second + "/cancel", "");
    await().atMost(Duration.ofSeconds(60)).until(() -> "CANCELLED".equals(status(second)));
    assertThat(EXEC.ofJob("replacer")).as("one execution per run, neither completed")
        .extracting(Executions.Execution::runId).containsExactly(first, second);
    assertThat(EXEC.ofJob("replacer")).noneMatch(Executions.Execution::ended);
  }
}
