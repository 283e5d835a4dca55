package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker never runs more runs of a resource class at once than its capacity, and serves only the
 * classes it has capacity for. Checked from the recorded history: the largest number of [started_at,
 * finished_at) intervals of a class that overlap.
 */
class CapacityIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("capacity",
      conf -> conf.getJsonObject("worker").put("capacity", new JsonObject().put("small", 3).put("large", 1)));

  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";

  private static void job(String id, String resourceClass) throws Exception {
    assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"" + id + "\",\"schedule\":" + NEVER + ",\"resources\":"
        + "{\"class\":\"" + resourceClass + "\"},\"task\":{\"type\":\"noop\",\"duration\":\"PT0.6S\"}}").status())
        .isEqualTo(201);
  }

  private static JsonObject lastRun(String jobId) throws Exception {
    JsonArray items = NODE.get().get("/api/v1/jobs/" + jobId + "/runs").body().getJsonArray("items");
    return items.isEmpty() ? new JsonObject() : items.getJsonObject(0);
  }

  /** The most intervals open at one instant; an interval ending exactly when another starts does not overlap it. */
  private static int maxOverlap(List<JsonObject> runs) {
    List<long[]> edges = new ArrayList<>();
    for (JsonObject r : runs) {
      edges.add(new long[] {micros(r.getString("started_at")), 1});
      edges.add(new long[] {micros(r.getString("finished_at")), -1});
    }
    edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int open = 0;
    int max = 0;
    for (long[] e : edges) {
      open += (int) e[1];
      max = Math.max(max, open);
    }
    return max;
  }

  private static long micros(String instant) {
    Instant i = Instant.parse(instant);
    return i.getEpochSecond() * 1_000_000 + i.getNano() / 1_000;
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
    List<String> all = new ArrayList<>(small);
    all.addAll(large);
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      for (String id : all) {
        if (!"SUCCESS".equals(lastRun(id).getString("status"))) {
          return false;
        }
      }
      return true;
    });
    List<JsonObject> smallRuns = new ArrayList<>();
    for (String id : small) {
      smallRuns.add(lastRun(id));
    }
    List<JsonObject> largeRuns = new ArrayList<>();
    for (String id : large) {
      largeRuns.add(lastRun(id));
    }
    assertThat(maxOverlap(smallRuns)).as("small runs at once").isEqualTo(3);
    assertThat(maxOverlap(largeRuns)).as("large runs at once").isEqualTo(1);
    assertThat(NODE.get().get("/api/v1/runs/" + gpuRun).body().getString("status"))
        .as("no capacity for gpu here: it waits for a worker that serves it").isEqualTo("PENDING");
  }
}
