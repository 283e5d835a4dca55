package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker never runs more runs of a resource class at once than its capacity, and serves only the
 * classes it has capacity for. Checked from the recorded history: the largest number of [started_at,
 * finished_at) intervals of a class that overlap, which must never exceed the capacity and, because the
 * first runs are held until the test lets them go, must reach it however slow the machine is.
 */
class CapacityIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("capacity",
      conf -> conf.getJsonObject("worker").put("capacity", new JsonObject().put("small", 3).put("large", 1)));

  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";
  /** Every task of a class waits for the class's gate ({@code open-<class>}), then records its end. */
  private static final Executions EXEC = Executions.create("capacity");

  private static void job(String id, String resourceClass) throws Exception {
    String work = "while [ ! -e \"$GATES/open-" + resourceClass + "\" ]; do sleep 0.1; done";
    assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"" + id + "\",\"schedule\":" + NEVER + ",\"resources\":"
        + "{\"class\":\"" + resourceClass + "\"},\"task\":" + EXEC.taskJson(work) + "}").status())
        .isEqualTo(201);
  }

  private static long executing(List<String> jobIds) {
    return EXEC.all().stream().filter(e -> jobIds.contains(e.jobId()) && !e.ended()).count();
  }

  private static JsonObject lastRun(String jobId) throws Exception {
    JsonArray items = NODE.get().get("/api/v1/jobs/" + jobId + "/runs").body().getJsonArray("items");
    return items.isEmpty() ? new JsonObject() : items.getJsonObject(0);
  }


  @Test
  void runs_of_a_class_never_exceed_its_capacity_and_unserved_classes_wait() throws Exception {
    List<String> small = new ArrayList<>();
    List<String> large = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      small.add("small-" + i);
      job("small-" + i, "small");
    }
    for (int i = 0; i < 3; i++) {
      large.add("large-" + i);
      job("large-" + i, "large");
    }
    job("gpu-0", "gpu");
    for (String id : small) {
      NODE.get().post("/api/v1/jobs/" + id + "/trigger", "");
    }
    for (String id : large) {
      NODE.get().post("/api/v1/jobs/" + id + "/trigger", "");
    }
    String gpuRun = NODE.get().post("/api/v1/jobs/gpu-0/trigger", "").body().getString("id");
    // held at their gates, the first runs fill each class; no further run may start while they are held
    await().atMost(Duration.ofSeconds(60)).until(() -> executing(small) == 3 && executing(large) == 1);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
        .until(() -> executing(small) == 3 && executing(large) == 1 && EXEC.all().size() == 4);
    EXEC.open("small");
    EXEC.open("large");
    List<String> all = new ArrayList<>(small);
    all.addAll(large);
    await().atMost(Duration.ofSeconds(90)).until(() -> {
      for (String id : all) {
        if (!"SUCCESS".equals(lastRun(id).getString("status"))) {
          return false;
        }
      }
      return true;
    });
    for (String id : all) {
      assertThat(EXEC.ofJob(id)).as("%s executed once", id).singleElement().satisfies(e -> assertThat(e.succeeded()).isTrue());
    }
    assertThat(EXEC.mostAtOnce(small)).as("small runs at once: never above the capacity, and it was reached").isEqualTo(3);
    assertThat(EXEC.mostAtOnce(large)).as("large runs at once").isEqualTo(1);
    assertThat(NODE.get().get("/api/v1/runs/" + gpuRun).body().getString("status"))
        .as("no capacity for gpu here: it waits for a worker that serves it").isEqualTo("PENDING");
  }
}
