package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/v1/workers}: every live worker with its capacity and slots in use per resource class and task
 * kind; a worker killed without a goodbye leaves the list within its lease, one that stops leaves at once.
 */
class WorkersIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("workers", conf -> conf.getJsonObject("node").put("id", "main"));

  private static Optional<JsonObject> worker(String id) throws Exception {
    TestNode.Reply reply = NODE.get().get("/api/v1/workers");
    assertThat(reply.status()).isEqualTo(200);
    JsonArray items = reply.body().getJsonArray("items");
    return items.stream().map(o -> (JsonObject) o).filter(w -> id.equals(w.getString("id"))).findFirst();
  }

  @Test
  void a_worker_shows_its_capacity_and_the_slots_its_running_tasks_take() throws Exception {
    JsonObject self = worker("main/worker-1").orElseThrow();
    assertThat(self.getString("node")).isEqualTo("main");
    assertThat(self.getJsonArray("task_kinds")).contains("shell", "noop");
    assertThat(self.getJsonObject("resources").getJsonObject("default").getInteger("capacity")).isEqualTo(250_000);
    assertThat(self.getJsonObject("kinds").getJsonObject("shell").getInteger("capacity")).isEqualTo(8);
    assertThat(self.getString("last_heartbeat")).isNotBlank();

    assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"sleeper\",\"schedule\":{\"type\":\"once\"},"
        + "\"task\":{\"type\":\"shell\",\"command\":[\"sleep\",\"10\"]}}").status()).isEqualTo(201);
    await().alias("the sleeper's run RUNNING").atMost(Duration.ofSeconds(30)).until(() -> {
      JsonArray runs = NODE.get().get("/api/v1/jobs/sleeper/runs").body().getJsonArray("items");
      return runs.size() == 1 && "RUNNING".equals(runs.getJsonObject(0).getString("status"));
    });
    // announced at the next heartbeat (every 3 s)
    try {
      await().alias("shell in use").atMost(Duration.ofSeconds(10)).until(() -> worker("main/worker-1").orElseThrow()
          .getJsonObject("kinds").getJsonObject("shell").getInteger("in_use") == 1);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("workers: " + NODE.get().get("/api/v1/workers").body().encode() + "\nruns: "
          + NODE.get().get("/api/v1/jobs/sleeper/runs").body().encode(), e);
    }
    assertThat(worker("main/worker-1").orElseThrow().getJsonObject("resources").getJsonObject("default")
        .getInteger("in_use")).isGreaterThanOrEqualTo(1);
    // the run shows the lease its worker holds and renews
    String runId = NODE.get().get("/api/v1/jobs/sleeper/runs").body().getJsonArray("items").getJsonObject(0).getString("id");
    JsonObject running = NODE.get().get("/api/v1/runs/" + runId).body();
    assertThat(java.time.Instant.parse(running.getString("lease_expires_at"))).isAfter(java.time.Instant.now());
    await().atMost(Duration.ofSeconds(30)).until(() -> worker("main/worker-1").orElseThrow()
        .getJsonObject("kinds").getJsonObject("shell").getInteger("in_use") == 0);
    assertThat(NODE.get().get("/api/v1/runs/" + runId).body().containsKey("lease_expires_at")).as("ended: no lease").isFalse();
  }

  @Test
  void a_killed_worker_leaves_within_its_lease_and_a_stopped_one_at_once() throws Exception {
    String isolation = NODE.get().config().redis().prefix();
    try (ExternalWorker doomed = ExternalWorker.start(isolation, "ext-doomed",
        conf -> conf.getJsonObject("worker").put("lease_ms", 3000).put("heartbeat_ms", 1000))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> worker("ext-doomed/worker-1").isPresent());
      JsonObject listed = worker("ext-doomed/worker-1").orElseThrow();
      assertThat(listed.getString("version")).as("the jar's version").isNotEqualTo("dev");
      doomed.kill();
      // its entry expires one lease (3 s) after its last heartbeat
      await().atMost(Duration.ofMillis(3000 + 2000)).until(() -> worker("ext-doomed/worker-1").isEmpty());
    }
    assertThat(worker("main/worker-1")).as("the live one stays").isPresent();

    try (ExternalWorker leaving = ExternalWorker.start(isolation, "ext-leaving")) {
      await().atMost(Duration.ofSeconds(20)).until(() -> worker("ext-leaving/worker-1").isPresent());
      assertThat(leaving.terminate(Duration.ofSeconds(30))).isZero();
      assertThat(worker("ext-leaving/worker-1")).as("gone with its SIGTERM, default lease 15 s").isEmpty();
    }
    assertThat(worker("main/worker-1")).isPresent();
  }
}
