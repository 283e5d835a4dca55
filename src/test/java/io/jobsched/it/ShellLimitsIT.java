package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sized shell task runs inside its run's memory and cpu: past its memory it is killed and the run ends FAILED
 * with reason {@code out_of_memory}; under it the task succeeds; its cpu quota is its cores. Needs a machine where
 * the worker may make cgroups under its own (it checks which path it took: the worker logs "shell task limits").
 */
class ShellLimitsIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("limits");

  private static String runOnce(String id, String resources, String script) throws Exception {
    JsonObject task = new JsonObject().put("type", "shell")
        .put("command", new JsonArray().add("/bin/sh").add("-c").add(script));
    TestNode.Reply created = NODE.get().post("/api/v1/jobs", new JsonObject().put("id", id)
        .put("schedule", new JsonObject().put("type", "at").put("at", "2099-01-01T00:00:00Z"))
        .put("resources", new JsonObject(resources)).put("task", task).encode());
    assertThat(created.status()).as(created.body().encode()).isEqualTo(201);
    String runId = NODE.get().post("/api/v1/jobs/" + id + "/trigger", "").body().getString("id");
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      String status = NODE.get().get("/api/v1/runs/" + runId).body().getString("status");
      return !"PENDING".equals(status) && !"RUNNING".equals(status);
    });
    return runId;
  }

  @Test
  void a_task_past_its_memory_is_killed_as_out_of_memory_and_one_under_it_succeeds() throws Exception {
    String hog = runOnce("hog", "{\"memory_mb\":128}", "python3 -c 'b = bytearray(400*1024*1024); print(len(b))'");
    JsonObject killed = NODE.get().get("/api/v1/runs/" + hog).body();
    assertThat(killed.getString("status")).isEqualTo("FAILED");
    assertThat(killed.getString("reason")).isEqualTo("out_of_memory");
    assertThat(killed.getString("error")).startsWith("out_of_memory");

    String modest = runOnce("modest", "{\"memory_mb\":128}", "python3 -c 'b = bytearray(16*1024*1024); print(len(b))'");
    assertThat(NODE.get().get("/api/v1/runs/" + modest).body().getString("status")).isEqualTo("SUCCESS");
  }

  @Test
  void a_task_gets_a_cpu_quota_of_its_cores() throws Exception {
    Path out = Files.createTempFile("jobsched-cpu", ".txt");
    // the task reads the quota of the cpu cgroup it runs in (v1 here; cpu.max under v2)
    String script = "d=$(grep -E '^[0-9]+:([^:]*,)?cpu(,[^:]*)?:' /proc/self/cgroup | head -1 | cut -d: -f3); "
        + "m=$(ls -d /sys/fs/cgroup/cpu /sys/fs/cgroup/cpu,cpuacct 2>/dev/null | head -1); "
        + "if [ -n \"$d\" ] && [ -f \"$m$d/cpu.cfs_quota_us\" ]; then cat \"$m$d/cpu.cfs_quota_us\" > '" + out + "'; "
        + "else cat \"/sys/fs/cgroup$(grep '^0::' /proc/self/cgroup | cut -d: -f3)/cpu.max\" > '" + out + "'; fi";
    String run = runOnce("half-core", "{\"cpu\":0.5}", script);
    assertThat(NODE.get().get("/api/v1/runs/" + run).body().getString("status")).isEqualTo("SUCCESS");
    assertThat(Files.readString(out).trim()).isIn("50000", "50000 100000");
  }
}
