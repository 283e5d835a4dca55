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

/**
 * Overlap is judged when a run would start, not when its fire is promoted (up to look_ahead_ms early): a
 * quick per-second job under {@code forbid} or {@code replace} runs every fire; a slow one skips
 * (forbid) or stops the running one (replace) only while a run is really running.
 */
class OverlapIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("overlap");

  private static void everySecond(String id, String overlap, String duration) throws Exception {
    assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"" + id + "\",\"schedule\":{\"type\":\"every\","
        + "\"interval\":\"PT1S\"},\"overlap\":\"" + overlap + "\",\"task\":{\"type\":\"noop\",\"duration\":\""
        + duration + "\"}}").status()).isEqualTo(201);
  }

  /** Ended runs, oldest fire first. */
  private static List<JsonObject> ended(String jobId) throws Exception {
    JsonArray items = NODE.get().get("/api/v1/jobs/" + jobId + "/runs?limit=100").body().getJsonArray("items");
    return items.stream().map(o -> (JsonObject) o).filter(r -> r.getString("finished_at") != null)
        .sorted(Comparator.comparing(r -> r.getString("scheduled_for"))).toList();
  }

  private static List<String> statuses(List<JsonObject> runs) {
    return runs.stream().map(r -> r.getString("status")).toList();
  }

  @Test
  void quick_runs_of_forbid_and_replace_jobs_run_every_fire() throws Exception {
    everySecond("quick-forbid", "forbid", "PT0.2S");
    everySecond("quick-replace", "replace", "PT0.2S");
    await().atMost(Duration.ofSeconds(20)).until(() -> ended("quick-forbid").size() >= 5 && ended("quick-replace").size() >= 5);
    NODE.get().post("/api/v1/jobs/quick-forbid/pause", "");
    NODE.get().post("/api/v1/jobs/quick-replace/pause", "");
    assertThat(statuses(ended("quick-forbid")).subList(0, 5)).containsOnly("SUCCESS");
    assertThat(statuses(ended("quick-replace")).subList(0, 5)).containsOnly("SUCCESS");
  }

  @Test
  void a_slow_forbid_job_skips_the_fires_that_come_while_it_runs_and_never_runs_twice_at_once() throws Exception {
    everySecond("slow-forbid", "forbid", "PT2.5S");
    await().atMost(Duration.ofSeconds(30)).until(() -> statuses(ended("slow-forbid")).stream()
        .filter("SUCCESS"::equals).count() >= 2);
    NODE.get().post("/api/v1/jobs/slow-forbid/pause", "");
    List<JsonObject> runs = ended("slow-forbid");
    assertThat(runs).filteredOn(r -> "SKIPPED".equals(r.getString("status")))
        .isNotEmpty().allSatisfy(r -> assertThat(r.getString("reason")).isIn("overlap", "paused"));
    List<JsonObject> ran = runs.stream().filter(r -> "SUCCESS".equals(r.getString("status"))).toList();
    for (int i = 1; i < ran.size(); i++) {
      assertThat(Instant.parse(ran.get(i).getString("started_at")))
          .as("run %d started after run %d ended", i, i - 1)
          .isAfterOrEqualTo(Instant.parse(ran.get(i - 1).getString("finished_at")));
    }
  }

  @Test
  void a_slow_replace_job_stops_the_running_run_when_the_next_one_starts() throws Exception {
    everySecond("slow-replace", "replace", "PT30S");
    await().atMost(Duration.ofSeconds(30)).until(() -> statuses(ended("slow-replace")).stream()
        .filter("CANCELLED"::equals).count() >= 2);
    NODE.get().post("/api/v1/jobs/slow-replace/pause", "");
    List<JsonObject> all = NODE.get().get("/api/v1/jobs/slow-replace/runs?limit=100").body().getJsonArray("items")
        .stream().map(o -> (JsonObject) o).filter(r -> r.getString("started_at") != null)
        .sorted(Comparator.comparing(r -> r.getString("started_at"))).toList();
    List<JsonObject> cancelled = all.stream().filter(r -> "CANCELLED".equals(r.getString("status"))).toList();
    for (JsonObject c : cancelled) {
      // the run that displaced it started before it was stopped: replaced, not cancelled ahead of time
      JsonObject next = all.get(all.indexOf(c) + 1);
      assertThat(Instant.parse(c.getString("finished_at"))).isAfterOrEqualTo(Instant.parse(next.getString("started_at")));
    }
  }
}
