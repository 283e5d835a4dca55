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
  void next_fires_list_what_the_scheduler_will_fire() throws Exception {
    String every = "{\"type\":\"every\",\"interval\":\"PT1H\",\"start_at\":\"2099-01-01T00:00:00Z\"}";
    assertThat(NODE.get().post("/api/v1/jobs", job("hourly-2099", every, "")).status()).isEqualTo(201);
    assertThat(NODE.get().get("/api/v1/jobs/hourly-2099/next-fires?n=3").body().getJsonArray("items"))
        .containsExactly("2099-01-01T00:00:00Z", "2099-01-01T01:00:00Z", "2099-01-01T02:00:00Z");

    String yearly = "{\"type\":\"cron\",\"expression\":\"0 0 1 1 *\",\"timezone\":\"UTC\"}";
    TestNode.Reply created = NODE.get().post("/api/v1/jobs", job("new-year", yearly, ""));
    JsonArray fires = NODE.get().get("/api/v1/jobs/new-year/next-fires").body().getJsonArray("items");
    assertThat(fires).hasSize(5);
    assertThat(fires.getString(0)).isEqualTo(created.body().getString("next_fire_at"));
    for (int i = 1; i < 5; i++) {
      assertThat(Instant.parse(fires.getString(i)).atZone(java.time.ZoneOffset.UTC).getYear())
          .isEqualTo(Instant.parse(fires.getString(i - 1)).atZone(java.time.ZoneOffset.UTC).getYear() + 1);
      assertThat(fires.getString(i)).endsWith("-01-01T00:00:00Z");
    }

    assertThat(NODE.get().post("/api/v1/jobs/new-year/pause", "{}").status()).isEqualTo(200);
    assertThat(NODE.get().get("/api/v1/jobs/new-year/next-fires").body().getJsonArray("items")).as("paused").isEmpty();
    assertThat(NODE.get().get("/api/v1/jobs/new-year/next-fires?n=0").status()).isEqualTo(400);
    assertThat(NODE.get().get("/api/v1/jobs/no-such-job/next-fires").status()).isEqualTo(404);
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
  void without_tokens_changes_are_recorded_as_anonymous() throws Exception {
    NODE.get().put("/api/v1/jobs/anon-audit", job(null, FAR, ""), null);
    NODE.get().put("/api/v1/jobs/anon-audit", job(null, FAR, ",\"priority\":7"), null);
    JsonArray versions = NODE.get().get("/api/v1/jobs/anon-audit/versions").body().getJsonArray("items");
    assertThat(versions).hasSize(2);
    assertThat(versions.getJsonObject(0).getJsonArray("changed_fields")).containsExactly("priority");
    versions.forEach(v -> assertThat(((JsonObject) v).getString("changed_by")).isEqualTo("anonymous"));
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

  private static Instant at(JsonObject run, String field) {
    return Instant.parse(run.getString(field));
  }

  /**
   * Judged by the server's own instants, never this JVM's clock: the pause's and the resume's {@code updated_at}
   * are Postgres' now() of those statements, and every run a promotion creates has that transaction's now() as
   * {@code enqueued_at}, the very instant the misfire planner compared the fires with.
   */
  @Test
  void pause_stops_fires_and_resume_applies_fire_once_to_what_was_missed() throws Exception {
    NODE.get().post("/api/v1/jobs", job("ticker", "{\"type\":\"every\",\"interval\":\"PT1S\"}", ""));
    await().atMost(Duration.ofSeconds(30)).until(() -> runsOf("ticker").size() >= 2);
    JsonObject paused = NODE.get().post("/api/v1/jobs/ticker/pause", "").body();
    assertThat(paused.getBoolean("paused")).isTrue();
    Instant pausedAt = at(paused, "updated_at");
    // let several fires pass while paused: a wait for time to pass, not a synchronisation
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> Instant.now().isAfter(pausedAt.plusSeconds(6)));
    JsonObject resumed = NODE.get().post("/api/v1/jobs/ticker/resume", "").body();
    assertThat(resumed.getBoolean("paused")).isFalse();
    Instant resumedAt = at(resumed, "updated_at");
    // the first promotion after the resume plans every fire since the pause in one transaction
    await().atMost(Duration.ofSeconds(30)).until(() -> runsOf("ticker").stream()
        .anyMatch(r -> !at((JsonObject) r, "enqueued_at").isBefore(resumedAt)));
    List<JsonObject> runs = runsOf("ticker").stream().map(r -> (JsonObject) r)
        .sorted(java.util.Comparator.comparing(r -> at(r, "scheduled_for"))).toList();
    Instant promoted = runs.stream().map(r -> at(r, "enqueued_at")).filter(e -> !e.isBefore(resumedAt))
        .min(Instant::compareTo).orElseThrow();

    // no silent miss: one run per fire, every second, across the pause
    for (int i = 1; i < runs.size(); i++) {
      assertThat(Duration.between(at(runs.get(i - 1), "scheduled_for"), at(runs.get(i), "scheduled_for")))
          .as("fire %d follows fire %d", i, i - 1).isEqualTo(Duration.ofSeconds(1));
    }
    assertThat(runs).as("nothing is promoted while paused")
        .noneMatch(r -> at(r, "enqueued_at").isAfter(pausedAt) && at(r, "enqueued_at").isBefore(resumedAt));
    assertThat(runs).as("no fire after the pause starts before the resume").noneMatch(r -> r.getString("started_at") != null
        && at(r, "scheduled_for").isAfter(pausedAt) && at(r, "started_at").isBefore(resumedAt));
    // fires the look-ahead had promoted before the pause were skipped by it
    assertThat(runs.stream().filter(r -> at(r, "scheduled_for").isAfter(pausedAt) && at(r, "enqueued_at").isBefore(pausedAt)))
        .allSatisfy(r -> {
          assertThat(r.getString("status")).isEqualTo("SKIPPED");
          assertThat(r.getString("reason")).isEqualTo("paused");
        });
    // of the fires planned on resuming, those more than the 500 ms threshold behind the planner's now() were
    // missed: all skipped but the latest, which runs (fire_once)
    List<JsonObject> missed = runs.stream().filter(r -> at(r, "enqueued_at").equals(promoted)
        && Duration.between(at(r, "scheduled_for"), promoted).compareTo(Duration.ofMillis(500)) > 0).toList();
    assertThat(missed).as("fires missed while paused").hasSizeGreaterThanOrEqualTo(2);
    JsonObject latest = missed.get(missed.size() - 1);
    assertThat(latest.getString("trigger")).isEqualTo("misfire");
    assertThat(latest.getString("status")).isNotEqualTo("SKIPPED");
    assertThat(missed.subList(0, missed.size() - 1)).allSatisfy(r -> {
      assertThat(r.getString("status")).isEqualTo("SKIPPED");
      assertThat(r.getString("reason")).isEqualTo("misfire");
    });
    assertThat(runs.stream().filter(r -> at(r, "enqueued_at").equals(promoted) && !missed.contains(r)))
        .as("fires planned with them but not missed are on time").allSatisfy(r -> assertThat(r.getString("trigger")).isEqualTo("schedule"));
    await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCESS".equals(
        NODE.get().get("/api/v1/runs/" + latest.getString("id")).body().getString("status")));
    NODE.get().post("/api/v1/jobs/ticker/pause", "");
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
