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

  private static Instant at(JsonObject run, String field) {
    String t = run.getString(field);
    return t == null ? null : Instant.parse(t);
  }

  /**
   * A skip is justified only by a run that was really RUNNING when it was decided: the skip records its decision
   * instant as finished_at, and another run's recorded interval must contain it. The other run's finish may have
   * been in flight (begun, not committed) when the skip looked, so its finished_at may precede the decision by
   * that statement's duration: 500 ms of slack, well below the 0.8 s a quick per-second run leaves idle.
   */
  private static void assertSkipJustified(JsonObject skipped, List<JsonObject> runs) {
    Instant decided = at(skipped, "finished_at");
    assertThat(runs).as("a run RUNNING when fire %s was skipped at %s", skipped.getString("scheduled_for"), decided)
        .anySatisfy(o -> {
          assertThat(o.getString("id")).isNotEqualTo(skipped.getString("id"));
          assertThat(at(o, "started_at")).isNotNull().isBeforeOrEqualTo(decided);
          assertThat(at(o, "finished_at")).isNotNull().isAfterOrEqualTo(decided.minusMillis(500));
        });
  }

  /** A replaced run was stopped after a later run of its job had started while it ran. */
  private static void assertCancelJustified(JsonObject cancelled, List<JsonObject> runs) {
    assertThat(runs).as("a later run that displaced the run of fire %s", cancelled.getString("scheduled_for"))
        .anySatisfy(o -> {
          assertThat(o.getString("id")).isNotEqualTo(cancelled.getString("id"));
          assertThat(at(o, "started_at")).isNotNull().isAfterOrEqualTo(at(cancelled, "started_at"))
              .isBeforeOrEqualTo(at(cancelled, "finished_at"));
        });
  }

  /**
   * Every fire of a quick job runs, except one that really found an earlier run still running when it would
   * start (a loaded machine can delay a 0.2 s run past the next second): judged from the recorded intervals,
   * not from how fast the machine happened to be.
   */
  @Test
  void quick_runs_of_forbid_and_replace_jobs_run_every_fire() throws Exception {
    everySecond("quick-forbid", "forbid", "PT0.2S");
    everySecond("quick-replace", "replace", "PT0.2S");
    await().atMost(Duration.ofSeconds(60)).until(() -> ended("quick-forbid").size() >= 5 && ended("quick-replace").size() >= 5);
    NODE.get().post("/api/v1/jobs/quick-forbid/pause", "");
    NODE.get().post("/api/v1/jobs/quick-replace/pause", "");
    List<JsonObject> forbid = ended("quick-forbid");
    List<JsonObject> replace = ended("quick-replace");
    for (JsonObject r : forbid.subList(0, 5)) {
      if (!"SUCCESS".equals(r.getString("status"))) {
        assertThat(r.getString("status")).isEqualTo("SKIPPED");
        assertThat(r.getString("reason")).isEqualTo("overlap");
        assertSkipJustified(r, forbid);
      }
    }
    for (JsonObject r : replace.subList(0, 5)) {
      if (!"SUCCESS".equals(r.getString("status"))) {
        assertThat(r.getString("status")).isEqualTo("CANCELLED");
        assertCancelJustified(r, replace);
      }
    }
    assertThat(forbid.subList(0, 5)).as("quick forbid runs").anyMatch(r -> "SUCCESS".equals(r.getString("status")));
    assertThat(replace.subList(0, 5)).as("quick replace runs").anyMatch(r -> "SUCCESS".equals(r.getString("status")));
  }

  @Test
  void a_slow_forbid_job_skips_the_fires_that_come_while_it_runs_and_never_runs_twice_at_once() throws Exception {
    everySecond("slow-forbid", "forbid", "PT2.5S");
    await().atMost(Duration.ofSeconds(60)).until(() -> statuses(ended("slow-forbid")).stream()
        .filter("SUCCESS"::equals).count() >= 2);
    NODE.get().post("/api/v1/jobs/slow-forbid/pause", "");
    List<JsonObject> runs = ended("slow-forbid");
    assertThat(runs).filteredOn(r -> "SKIPPED".equals(r.getString("status")))
        .isNotEmpty().allSatisfy(r -> assertThat(r.getString("reason")).isIn("overlap", "paused"));
    runs.stream().filter(r -> "overlap".equals(r.getString("reason"))).forEach(r -> assertSkipJustified(r, runs));
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
    await().atMost(Duration.ofSeconds(60)).until(() -> statuses(ended("slow-replace")).stream()
        .filter("CANCELLED"::equals).count() >= 2);
    NODE.get().post("/api/v1/jobs/slow-replace/pause", "");
    List<JsonObject> all = NODE.get().get("/api/v1/jobs/slow-replace/runs?limit=100").body().getJsonArray("items")
        .stream().map(o -> (JsonObject) o).filter(r -> r.getString("started_at") != null)
        .sorted(Comparator.comparing(r -> r.getString("started_at"))).toList();
    List<JsonObject> cancelled = all.stream().filter(r -> "CANCELLED".equals(r.getString("status"))).toList();
    // the run that displaced each one started before it was stopped: replaced, not cancelled ahead of time
    cancelled.forEach(c -> assertCancelJustified(c, all));
  }
}
