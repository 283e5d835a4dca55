package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Resource-aware placement with two workers of different sizes: the node's own worker offers 2 cores and
 * 4 GiB, a second node ("big", a worker only) 4 cores and 8 GiB and also serves the class "big". Each worker's
 * size is its {@code worker.resources} (more than this machine has is fine: it is what the worker promises).
 * The first test runs before the big worker exists.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResourcesIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("resources", conf -> {
    conf.getJsonObject("node").put("id", "small");
    conf.getJsonObject("worker").put("resources", new JsonObject().put("cpu", 2).put("memory_mb", 4096).put("gpu", 0));
  });
  private static final Executions EXEC = Executions.create("resources");
  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";
  private static TestNode big;

  @AfterAll
  static void stopBig() throws Exception {
    if (big != null) {
      big.close();
    }
  }

  private static void startBig() throws Exception {
    big = TestNode.startIn(NODE.get().config().redis().prefix(), conf -> {
      conf.getJsonObject("node").put("id", "big").put("roles", new JsonArray().add("worker"));
      conf.getJsonObject("worker").put("resources", new JsonObject().put("cpu", 4).put("memory_mb", 8192))
          .put("capacity", new JsonObject().put("default", 1000).put("big", 1000)).put("reserve_after_ms", 1000);
    });
  }

  /** A job that never fires by itself, with {@code resources} as given and gated work. */
  private static void job(String id, String resources) throws Exception {
    TestNode.Reply reply = NODE.get().post("/api/v1/jobs", "{\"id\":\"" + id + "\",\"schedule\":" + NEVER
        + ",\"resources\":" + resources + ",\"task\":" + EXEC.taskJson(Executions.GATED) + "}");
    assertThat(reply.status()).as(reply.body().encode()).isEqualTo(201);
  }

  private static String trigger(String jobId) throws Exception {
    TestNode.Reply reply = NODE.get().post("/api/v1/jobs/" + jobId + "/trigger", "");
    assertThat(reply.status()).isEqualTo(202);
    return reply.body().getString("id");
  }

  private static JsonObject run(String runId) throws Exception {
    return NODE.get().get("/api/v1/runs/" + runId).body();
  }

  private static long executing(List<String> jobIds) {
    return EXEC.all().stream().filter(e -> jobIds.contains(e.jobId()) && !e.ended()).count();
  }

  @Test
  @Order(1)
  void a_run_that_fits_no_live_worker_waits_with_its_reason_and_starts_when_a_big_enough_worker_joins()
      throws Exception {
    job("four-cores", "{\"cpu\":4,\"memory_mb\":1024}");
    JsonObject stored = NODE.get().get("/api/v1/jobs/four-cores").body().getJsonObject("resources");
    assertThat(stored).isEqualTo(new JsonObject().put("class", "default").put("cpu", 4).put("memory_mb", 1024)
        .put("gpu", 0));
    String runId = trigger("four-cores");
    await().atMost(Duration.ofSeconds(30)).until(() -> run(runId).containsKey("waiting_for"));
    JsonObject waiting = run(runId);
    assertThat(waiting.getString("waiting_for")).isEqualTo("no live worker has cpu 4 in total (largest: 2)");
    assertThat(waiting.getString("status")).isEqualTo("PENDING");
    assertThat(waiting.getJsonObject("resources")).isEqualTo(new JsonObject().put("cpu", 4).put("memory_mb", 1024)
        .put("gpu", 0));
    // sampled every 5 s where the reaper runs
    await().atMost(Duration.ofSeconds(20)).until(() -> metric("jobsched_runs_unplaceable") >= 1);
    assertThat(EXEC.ofRun(runId)).as("never claimed by the 2-core worker").isEmpty();

    startBig();
    await().atMost(Duration.ofSeconds(30)).until(() -> EXEC.running(runId));
    EXEC.open(runId);
    await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCESS".equals(run(runId).getString("status")));
    JsonObject done = run(runId);
    assertThat(done.getString("worker")).isEqualTo("big/worker-1");
    assertThat(done.containsKey("waiting_for")).isFalse();
    await().atMost(Duration.ofSeconds(20)).until(() -> metric("jobsched_runs_unplaceable") == 0);
  }

  @Test
  @Order(2)
  void four_core_runs_land_only_on_the_four_core_worker_and_small_ones_anywhere() throws Exception {
    JsonObject bigWorker = worker("big/worker-1");
    assertThat(bigWorker.getJsonObject("cpu").getInteger("total")).isEqualTo(4);
    assertThat(bigWorker.getJsonObject("memory_mb").getInteger("total")).isEqualTo(8192);
    assertThat(worker("small/worker-1").getJsonObject("cpu")).isEqualTo(new JsonObject().put("total", 2)
        .put("used", 0).put("free", 2));
    List<String> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(trigger("four-cores"));
    }
    for (String id : runs) {
      EXEC.open(id);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      for (String id : runs) {
        if (!"SUCCESS".equals(run(id).getString("status"))) {
          return false;
        }
      }
      return true;
    });
    for (String id : runs) {
      assertThat(run(id).getString("worker")).as(id).isEqualTo("big/worker-1");
    }
  }

  @Test
  @Order(3)
  void three_two_core_runs_on_a_four_core_worker_run_two_at_a_time() throws Exception {
    List<String> jobs = List.of("two-a", "two-b", "two-c");
    for (String id : jobs) {
      job(id, "{\"class\":\"big\",\"cpu\":2}");
      trigger(id);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> executing(jobs) == 2);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> executing(jobs) == 2
        && EXEC.all().stream().filter(e -> jobs.contains(e.jobId())).count() == 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      JsonObject cpu = worker("big/worker-1").getJsonObject("cpu");
      return cpu.getInteger("used") == 4 && cpu.getInteger("free") == 0;
    });
    jobs.forEach(EXEC::open);
    await().atMost(Duration.ofSeconds(60)).until(() -> jobs.stream().allMatch(j ->
        EXEC.ofJob(j).size() == 1 && EXEC.ofJob(j).get(0).succeeded()));
    for (String id : jobs) {
      await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCESS".equals(lastRun(id).getString("status")));
    }
    assertThat(EXEC.mostAtOnce(jobs)).as("2-core runs at once on 4 cores").isEqualTo(2);
  }

  /**
   * Fairness: with the big worker's 4 cores held by four 1-core runs, a 4-core run waits; once it has waited
   * reserve_after_ms (1 s here), a freed core is not handed to 1-core runs queued behind it, and it starts as
   * soon as the four finish, before any of them.
   */
  @Test
  @Order(4)
  void a_large_run_is_not_starved_by_small_ones_behind_it() throws Exception {
    List<String> first = List.of("s1", "s2", "s3", "s4");
    List<String> later = List.of("s5", "s6", "s7", "s8");
    for (String id : first) {
      job(id, "{\"class\":\"big\",\"cpu\":1}");
      trigger(id);
    }
    for (String id : later) {
      job(id, "{\"class\":\"big\",\"cpu\":1}");
    }
    job("wide", "{\"class\":\"big\",\"cpu\":4}");
    await().atMost(Duration.ofSeconds(30)).until(() -> executing(first) == 4);
    String wide = trigger("wide");
    Instant wideDue = Instant.parse(run(wide).getString("due_at"));
    for (String id : later) {
      trigger(id);
    }
    // once the wide run has waited reserve_after_ms (1 s), the worker keeps its room for it, and says so
    await().atMost(Duration.ofSeconds(20)).until(() -> wide.equals(worker("big/worker-1").getString("reserved_for")));
    assertThat(Instant.now()).isAfter(wideDue.plusMillis(1000));
    EXEC.open("s1");
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> executing(later) == 0
        && EXEC.all().stream().noneMatch(e -> later.contains(e.jobId())));
    for (String id : List.of("s2", "s3", "s4")) {
      EXEC.open(id);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> EXEC.running(wide));
    assertThat(EXEC.all().stream().filter(e -> later.contains(e.jobId())).count())
        .as("no 1-core run queued behind the wide one started before it").isZero();
    EXEC.open(wide);
    later.forEach(EXEC::open);
    await().atMost(Duration.ofSeconds(20)).until(() -> !worker("big/worker-1").containsKey("reserved_for"));
    await().atMost(Duration.ofSeconds(60)).until(() -> later.stream().allMatch(j ->
        EXEC.ofJob(j).size() == 1 && EXEC.ofJob(j).get(0).succeeded()));
  }

  @Test
  @Order(5)
  void bad_sizes_are_rejected_naming_the_field() throws Exception {
    for (String[] c : new String[][] {{"{\"cpu\":-1}", "resources.cpu"}, {"{\"cpu\":2000}", "resources.cpu"},
        {"{\"cpu\":0.0001}", "resources.cpu"}, {"{\"memory_mb\":1.5}", "resources.memory_mb"},
        {"{\"memory_mb\":17000000}", "resources.memory_mb"}, {"{\"gpu\":65}", "resources.gpu"},
        {"{\"gpu\":\"one\"}", "resources.gpu"}, {"{\"disk\":1}", "resources.disk"}}) {
      TestNode.Reply reply = NODE.get().post("/api/v1/jobs", "{\"id\":\"bad\",\"schedule\":" + NEVER
          + ",\"resources\":" + c[0] + ",\"task\":{\"type\":\"noop\"}}");
      assertThat(reply.status()).as(c[0]).isEqualTo(400);
      assertThat(reply.body().getJsonArray("details").getJsonObject(0).getString("field")).as(c[0]).isEqualTo(c[1]);
    }
    assertThat(NODE.get().get("/api/v1/jobs/bad").status()).as("nothing created").isEqualTo(404);
    TestNode.Reply half = NODE.get().post("/api/v1/jobs", "{\"id\":\"half\",\"schedule\":" + NEVER
        + ",\"resources\":{\"cpu\":0.5},\"task\":{\"type\":\"noop\"}}");
    assertThat(half.body().getJsonObject("resources").getDouble("cpu")).isEqualTo(0.5);
  }

  @Test
  @Order(6)
  void a_retry_reserves_what_its_first_attempt_did() throws Exception {
    assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"flaky\",\"schedule\":" + NEVER + ",\"resources\":"
        + "{\"cpu\":1,\"memory_mb\":64},\"retry\":{\"max_attempts\":2,\"initial_delay\":\"PT0.1S\"},"
        + "\"task\":{\"type\":\"shell\",\"command\":[\"/bin/sh\",\"-c\",\"exit 3\"]}}").status()).isEqualTo(201);
    trigger("flaky");
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      JsonArray runs = NODE.get().get("/api/v1/jobs/flaky/runs").body().getJsonArray("items");
      return runs.size() == 2 && runs.stream().allMatch(r -> "FAILED".equals(((JsonObject) r).getString("status")));
    });
    JsonObject retry = lastRun("flaky");
    assertThat(retry.getInteger("attempt")).isEqualTo(2);
    assertThat(retry.getJsonObject("resources")).isEqualTo(new JsonObject().put("cpu", 1).put("memory_mb", 64)
        .put("gpu", 0));
  }

  private static JsonObject worker(String id) throws Exception {
    return NODE.get().get("/api/v1/workers").body().getJsonArray("items").stream().map(o -> (JsonObject) o)
        .filter(w -> id.equals(w.getString("id"))).findFirst().orElseThrow();
  }

  private static JsonObject lastRun(String jobId) throws Exception {
    JsonArray items = NODE.get().get("/api/v1/jobs/" + jobId + "/runs").body().getJsonArray("items");
    return items.isEmpty() ? new JsonObject() : items.getJsonObject(0);
  }

  private double metric(String name) throws Exception {
    return MetricsIT.value(MetricsIT.scrape(NODE.get()), name);
  }

}
