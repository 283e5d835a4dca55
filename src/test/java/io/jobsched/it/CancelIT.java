package io.jobsched.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** POST /runs/{id}/cancel: a running task is stopped and the run ends CANCELLED; a pending run never starts. */
class CancelIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("cancel");

  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";

  private static TestNode node() {
    return NODE.get();
  }

  private static String status(String runId) throws Exception {
    return node().get("/api/v1/runs/" + runId).body().getString("status");
  }

  @Test
  void cancelling_a_running_shell_task_stops_it_and_ends_the_run_cancelled() throws Exception {
    node().post("/api/v1/jobs", "{\"id\":\"long\",\"schedule\":" + NEVER + ",\"task\":{\"type\":\"shell\","
        + "\"command\":[\"/bin/sh\",\"-c\",\"exec sleep 60\"]},\"on_timeout\":{\"grace\":\"PT1S\"},"
        + "\"retry\":{\"max_attempts\":3}}");
    String runId = node().post("/api/v1/jobs/long/trigger", "").body().getString("id");
    await().atMost(Duration.ofSeconds(20)).until(() -> "RUNNING".equals(status(runId)));
    Instant asked = Instant.now();
    TestNode.Reply cancel = node().post("/api/v1/runs/" + runId + "/cancel", "");
    assertThat(cancel.status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(15)).until(() -> "CANCELLED".equals(status(runId)));
    JsonObject run = node().get("/api/v1/runs/" + runId).body();
    assertThat(run.getString("reason")).isEqualTo("cancelled");
    assertThat(Duration.between(asked, Instant.parse(run.getString("finished_at")))).isLessThan(Duration.ofSeconds(5));
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
        + "\"task\":{\"type\":\"shell\",\"command\":[\"/bin/sh\",\"-c\",\"exec sleep 60\"]},\"on_timeout\":{\"grace\":\"PT1S\"}}");
    String first = node().post("/api/v1/jobs/replacer/trigger", "").body().getString("id");
    await().atMost(Duration.ofSeconds(20)).until(() -> "RUNNING".equals(status(first)));
    String second = node().post("/api/v1/jobs/replacer/trigger", "").body().getString("id");
    await().atMost(Duration.ofSeconds(15)).until(() -> "CANCELLED".equals(status(first)));
    await().atMost(Duration.ofSeconds(15)).until(() -> "RUNNING".equals(status(second)));
    node().post("/api/v1/runs/" + second + "/cancel", "");
    await().atMost(Duration.ofSeconds(15)).until(() -> "CANCELLED".equals(status(second)));
  }
}
