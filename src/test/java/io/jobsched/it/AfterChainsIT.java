package io.jobsched.it;

import io.jobsched.run.RunStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** after-schedules: chains and fan-out fire on the upstream outcome, once per upstream run; no cycles. */
class AfterChainsIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("after");

  private static TestNode node() {
    return NODE.get();
  }

  /** Every task records its executions: "fires once" is counted by what ran, not only by rows. */
  private static final Executions EXEC = Executions.create("after");

  private static String shell(String id, String schedule, String script) {
    return "{\"id\":\"" + id + "\",\"schedule\":" + schedule + ",\"task\":" + EXEC.taskJson(script) + "}";
  }

  private static String after(String upstream, String on) {
    return "{\"type\":\"after\",\"job_id\":\"" + upstream + "\",\"on\":\"" + on + "\"}";
  }

  private static JsonArray runsOf(String jobId) throws Exception {
    return node().get("/api/v1/jobs/" + jobId + "/runs").body().getJsonArray("items");
  }

  /** Each job has one run, and it has ended. */
  private static boolean endedOnce(List<String> jobIds) throws Exception {
    for (String jobId : jobIds) {
      JsonArray runs = runsOf(jobId);
      if (runs.size() != 1 || !RunStatus.valueOf(runs.getJsonObject(0).getString("status")).isTerminal()) {
        return false;
      }
    }
    return true;
  }

  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";

  @Test
  void success_fans_out_to_every_matching_downstream_job_once() throws Exception {
    assertThat(node().post("/api/v1/jobs", shell("extract", NEVER, "exit 0")).status()).isEqualTo(201);
    assertThat(node().post("/api/v1/jobs", shell("load", after("extract", "success"), "echo load")).status()).isEqualTo(201);
    assertThat(node().post("/api/v1/jobs", shell("audit", after("extract", "completion"), "echo audit")).status()).isEqualTo(201);
    assertThat(node().post("/api/v1/jobs", shell("alert", after("extract", "failure"), "echo alert")).status()).isEqualTo(201);
    assertThat(node().post("/api/v1/jobs", shell("report", after("load", "success"), "echo report")).status()).isEqualTo(201);

    String upstreamRun = node().post("/api/v1/jobs/extract/trigger", "").body().getString("id");
    // audit runs beside load, not before report: its result may come last
    List<String> downstream = List.of("load", "audit", "report");
    await().atMost(Duration.ofSeconds(60)).until(() -> endedOnce(downstream));
    for (String job : downstream) {
      JsonArray runs = runsOf(job);
      assertThat(runs).as(job).hasSize(1);
      assertThat(runs.getJsonObject(0).getString("trigger")).isEqualTo("after");
      assertThat(runs.getJsonObject(0).getString("status")).isEqualTo("SUCCESS");
    }
    assertThat(runsOf("alert")).as("failure-only downstream does not fire on success").isEmpty();
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30)).until(() -> runsOf("load").size() == 1
        && runsOf("audit").size() == 1 && runsOf("report").size() == 1);
    for (String job : List.of("extract", "load", "audit", "report")) {
      assertThat(EXEC.ofJob(job)).as("%s executed once", job).singleElement().satisfies(e -> assertThat(e.succeeded()).isTrue());
    }
    assertThat(EXEC.ofJob("alert")).isEmpty();
    JsonObject upstream = node().get("/api/v1/runs/" + upstreamRun).body();
    assertThat(runsOf("load").getJsonObject(0).getString("scheduled_for")).isEqualTo(upstream.getString("finished_at"));
  }

  @Test
  void failure_fires_the_failure_chain_only() throws Exception {
    node().post("/api/v1/jobs", shell("flaky", NEVER, "exit 4"));
    node().post("/api/v1/jobs", shell("on-fail", after("flaky", "failure"), "echo handling"));
    node().post("/api/v1/jobs", shell("on-ok", after("flaky", "success"), "echo fine"));
    node().post("/api/v1/jobs/flaky/trigger", "");
    await().atMost(Duration.ofSeconds(60)).until(() -> runsOf("on-fail").size() == 1
        && "SUCCESS".equals(runsOf("on-fail").getJsonObject(0).getString("status")));
    assertThat(runsOf("on-ok")).isEmpty();
    assertThat(EXEC.ofJob("flaky")).singleElement().satisfies(e -> assertThat(e.exitCode()).isEqualTo(4));
    assertThat(EXEC.ofJob("on-fail")).singleElement().satisfies(e -> assertThat(e.succeeded()).isTrue());
    assertThat(EXEC.ofJob("on-ok")).isEmpty();
  }

  @Test
  void dependencies_must_exist_and_must_not_form_a_cycle() throws Exception {
    TestNode.Reply missing = node().post("/api/v1/jobs", shell("orphan", after("no-such-job", "success"), "true"));
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.body().getString("error")).isEqualTo("unknown_dependency");

    node().post("/api/v1/jobs", shell("c1", NEVER, "true"));
    node().post("/api/v1/jobs", shell("c2", after("c1", "success"), "true"));
    node().post("/api/v1/jobs", shell("c3", after("c2", "success"), "true"));
    TestNode.Reply cycle = node().put("/api/v1/jobs/c1", shell("c1", after("c3", "success"), "true"), null);
    assertThat(cycle.status()).isEqualTo(422);
    assertThat(cycle.body().getString("error")).isEqualTo("dependency_cycle");
    assertThat(cycle.body().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("schedule.job_id");
    assertThat(node().get("/api/v1/jobs/c1").body().getJsonObject("schedule").getString("type")).isEqualTo("at");
    TestNode.Reply self = node().put("/api/v1/jobs/c1", shell("c1", after("c1", "success"), "true"), null);
    assertThat(self.status()).isEqualTo(400);
  }

  @Test
  void a_batch_may_chain_its_own_jobs_in_any_order_but_not_in_a_circle() throws Exception {
    String chained = "{\"jobs\":[" + shell("b-load", after("b-extract", "success"), "true") + ","
        + shell("b-extract", NEVER, "true") + "]}";
    assertThat(node().post("/api/v1/jobs/batch", chained).status()).isEqualTo(201);

    String circle = "{\"jobs\":[" + shell("c-one", after("c-two", "success"), "true") + ","
        + shell("c-two", after("c-one", "success"), "true") + "]}";
    TestNode.Reply refused = node().post("/api/v1/jobs/batch", circle);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body().getString("error")).isEqualTo("dependency_cycle");
    assertThat(refused.body().getJsonArray("details").getJsonObject(0).getString("field")).matches("jobs\\[[01]\\]\\.schedule\\.job_id");
    assertThat(node().get("/api/v1/jobs/c-one").status()).as("nothing stored").isEqualTo(404);
  }
}
