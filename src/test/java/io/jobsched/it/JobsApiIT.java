package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The jobs API beyond create: upsert with versions, delete, list, pause/resume, trigger, batch. */
class JobsApiIT {
  private static final String FAR = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("jobsapi", conf -> conf.getJsonObject("scheduler").put("misfire_threshold_ms", 500));

  private static String job(String id, String schedule, String extra) {
    return "{" + (id == null ? "" : "\"id\":\"" + id + "\",") + "\"schedule\":" + schedule
        + ",\"task\":{\"type\":\"noop\"}" + extra + "}";
  }

  private static JsonArray runsOf(String jobId) throws Exception {
    return NODE.get().get("/api/v1/jobs/" + jobId + "/runs?limit=1000").body().getJsonArray("items");
  }

  @Test
  void put_creates_then_replaces_under_optimistic_versions() throws Exception {
    TestNode.Reply created = NODE.get().put("/api/v1/jobs/versioned", job(null, FAR, ",\"name\":\"first\""), null);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().getLong("version")).isEqualTo(1L);

    TestNode.Reply stale = NODE.get().put("/api/v1/jobs/versioned", job(null, FAR, ",\"name\":\"stale\""), "7");
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.body().getString("error")).isEqualTo("precondition_failed");
    assertThat(NODE.get().get("/api/v1/jobs/versioned").body().getString("name")).isEqualTo("first");

    TestNode.Reply replaced = NODE.get().put("/api/v1/jobs/versioned", job(null, FAR, ",\"name\":\"second\""), "\"1\"");
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.body().getLong("version")).isEqualTo(2L);
    assertThat(replaced.body().getString("name")).isEqualTo("second");

    assertThat(NODE.get().put("/api/v1/jobs/versioned", job("other-id", FAR, ""), null).status()).isEqualTo(400);
    assertThat(NODE.get().put("/api/v1/jobs/never-existed", job(null, FAR, ""), "1").status()).isEqualTo(412);
    assertThat(NODE.get().get("/api/v1/jobs/never-existed").status()).isEqualTo(404);
  }

  @Test
  void delete_removes_the_job_but_keeps_its_history() throws Exception {
    NODE.get().post("/api/v1/jobs", job("doomed", "{\"type\":\"once\"}", ""));
    await().atMost(Duration.ofSeconds(20)).until(() -> runsOf("doomed").size() == 1
        && "SUCCESS".equals(runsOf("doomed").getJsonObject(0).getString("status")));
    String runId = runsOf("doomed").getJsonObject(0).getString("id");
    assertThat(NODE.get().delete("/api/v1/jobs/doomed").status()).isEqualTo(204);
    assertThat(NODE.get().get("/api/v1/jobs/doomed").status()).isEqualTo(404);
    assertThat(NODE.get().delete("/api/v1/jobs/doomed").status()).isEqualTo(404);
    assertThat(NODE.get().get("/api/v1/runs/" + runId).body().getString("status")).isEqualTo("SUCCESS");
  }

  @Test
  void list_filters_and_pages_with_a_stable_cursor() throws Exception {
    for (int i = 0; i < 5; i++) {
      String labels = i % 2 == 0 ? ",\"labels\":{\"team\":\"billing\"}" : ",\"labels\":{\"team\":\"ops\"}";
      assertThat(NODE.get().post("/api/v1/jobs", job("list-" + i, FAR, ",\"namespace\":\"listns\"" + labels)).status())
          .isEqualTo(201);
    }
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = NODE.get().get("/api/v1/jobs?namespace=listns&limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).body();
      page.getJsonArray("items").forEach(j -> assertThat(seen.add(((JsonObject) j).getString("id"))).isTrue());
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyInAnyOrder("list-0", "list-1", "list-2", "list-3", "list-4");
    JsonArray billing = NODE.get().get("/api/v1/jobs?namespace=listns&label=team:billing").body().getJsonArray("items");
    assertThat(billing.stream().map(j -> ((JsonObject) j).getString("id"))).containsExactly("list-0", "list-2", "list-4");
    assertThat(NODE.get().get("/api/v1/jobs?paused=maybe").status()).isEqualTo(400);
    assertThat(NODE.get().get("/api/v1/jobs?limit=0").status()).isEqualTo(400);
  }

  private static JsonObject run(TestNode.Reply triggered) throws Exception {
    return NODE.get().get("/api/v1/runs/" + triggered.body().getString("id")).body();
  }

  @Test
  void trigger_runs_now_and_forbid_skips_an_overlapping_trigger_unless_forced() throws Exception {
    NODE.get().post("/api/v1/jobs", "{\"id\":\"manual\",\"schedule\":" + FAR + ",\"overlap\":\"forbid\","
        + "\"task\":{\"type\":\"noop\",\"duration\":\"PT8S\"}}");
    TestNode.Reply first = NODE.get().post("/api/v1/jobs/manual/trigger", "");
    assertThat(first.status()).isEqualTo(202);
    assertThat(first.body().getString("trigger")).isEqualTo("manual");
    assertThat(first.body().getString("status")).isIn("PENDING", "RUNNING");
    await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(run(first).getString("status")));
    // overlap is judged as a run starts, for triggered runs as for scheduled ones
    TestNode.Reply second = NODE.get().post("/api/v1/jobs/manual/trigger", "{}");
    assertThat(second.status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> "SKIPPED".equals(run(second).getString("status")));
    assertThat(run(second).getString("reason")).isEqualTo("overlap");
    TestNode.Reply forced = NODE.get().post("/api/v1/jobs/manual/trigger", "{\"force\":true}");
    assertThat(forced.body().getString("status")).isIn("PENDING", "RUNNING");
    await().atMost(Duration.ofSeconds(30)).until(() -> runsOf("manual").stream()
        .filter(r -> "SUCCESS".equals(((JsonObject) r).getString("status"))).count() == 2);
    assertThat(run(first).getString("status")).isEqualTo("SUCCESS");
    assertThat(run(forced).getString("status")).isEqualTo("SUCCESS");
    assertThat(NODE.get().post("/api/v1/jobs/manual/trigger", "{\"forse\":true}").status()).isEqualTo(400);
    assertThat(NODE.get().post("/api/v1/jobs/nobody/trigger", "").status()).isEqualTo(404);
  }

  @Test
  void a_batch_is_created_whole_or_not_at_all() throws Exception {
    String ok = "{\"jobs\":[" + job("batch-a", FAR, "") + "," + job("batch-b", FAR, "") + "]}";
    TestNode.Reply created = NODE.get().post("/api/v1/jobs/batch", ok);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().getJsonArray("items")).hasSize(2);

    String oneBad = "{\"jobs\":[" + job("batch-c", FAR, "") + "," + job("batch-d", FAR, ",\"priority\":-5") + "]}";
    TestNode.Reply bad = NODE.get().post("/api/v1/jobs/batch", oneBad);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("jobs[1].priority");
    assertThat(NODE.get().get("/api/v1/jobs/batch-c").status()).isEqualTo(404);

    String taken = "{\"jobs\":[" + job("batch-e", FAR, "") + "," + job("batch-a", FAR, "") + "]}";
    assertThat(NODE.get().post("/api/v1/jobs/batch", taken).status()).isEqualTo(409);
    assertThat(NODE.get().get("/api/v1/jobs/batch-e").status()).as("rolled back").isEqualTo(404);
  }

  @Test
  void pause_stops_fires_and_resume_applies_fire_once_to_what_was_missed() throws Exception {
    NODE.get().post("/api/v1/jobs", job("ticker", "{\"type\":\"every\",\"interval\":\"PT1S\"}", ""));
    await().atMost(Duration.ofSeconds(20)).until(() -> runsOf("ticker").size() >= 2);
    JsonObject paused = NODE.get().post("/api/v1/jobs/ticker/pause", "").body();
    assertThat(paused.getBoolean("paused")).isTrue();
    Instant pausedAt = Instant.now();
    int before = runsOf("ticker").size();
    // let four fires pass while paused; nothing may be created meanwhile
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
        .until(() -> runsOf("ticker").size() <= before + 1);
    assertThat(NODE.get().post("/api/v1/jobs/ticker/resume", "").body().getBoolean("paused")).isFalse();
    Instant resumedAt = Instant.now();
    await().atMost(Duration.ofSeconds(20)).until(() -> runsOf("ticker").stream()
        .anyMatch(r -> Instant.parse(((JsonObject) r).getString("scheduled_for")).isAfter(resumedAt)));
    // fires due while paused (beyond the 500 ms misfire threshold) all skipped, except the latest, run once
    List<JsonObject> duringPause = runsOf("ticker").stream().map(r -> (JsonObject) r)
        .filter(r -> Instant.parse(r.getString("scheduled_for")).isAfter(pausedAt)
            && Instant.parse(r.getString("scheduled_for")).isBefore(resumedAt.minusMillis(500)))
        .toList();
    assertThat(duringPause).isNotEmpty();
    assertThat(duringPause.stream().filter(r -> !"SKIPPED".equals(r.getString("status"))))
        .singleElement().satisfies(r -> assertThat(r.getString("trigger")).isEqualTo("misfire"));
    assertThat(duringPause.stream().filter(r -> "SKIPPED".equals(r.getString("status"))))
        .allMatch(r -> List.of("paused", "misfire").contains(r.getString("reason")));
  }

  @Test
  void a_cron_job_fires_on_its_wall_clock_seconds() throws Exception {
    NODE.get().post("/api/v1/jobs", job("every-second",
        "{\"type\":\"cron\",\"expression\":\"* * * * * *\",\"timezone\":\"Europe/Berlin\"}", ""));
    await().atMost(Duration.ofSeconds(20)).until(() -> runsOf("every-second").stream()
        .filter(r -> "SUCCESS".equals(((JsonObject) r).getString("status"))).count() >= 3);
    NODE.get().post("/api/v1/jobs/every-second/pause", "");
    List<JsonObject> runs = runsOf("every-second").stream().map(r -> (JsonObject) r)
        .filter(r -> "SUCCESS".equals(r.getString("status"))).toList();
    assertThat(runs).allSatisfy(r -> {
      assertThat(Instant.parse(r.getString("scheduled_for")).getNano()).isZero();
      assertThat(r.getString("trigger")).isEqualTo("schedule");
    });
  }
}
