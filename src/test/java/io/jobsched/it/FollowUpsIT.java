package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fan-in of follow-ups through a real node: many runs that time out together into one handler job, and
 * many runs of one upstream job that finish together, each get their own follow-up. Results that end
 * within a couple of milliseconds are recorded by one statement, which is where keys made of now()
 * collided and dropped all but one follow-up.
 */
class FollowUpsIT {
  private static final int N = 20;
  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";

  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("followups",
      conf -> conf.getJsonObject("worker").put("capacity", new JsonObject().put("default", 64)));

  private static TestNode node() {
    return NODE.get();
  }

  private static List<JsonObject> runsOf(String jobId) throws Exception {
    JsonArray items = node().get("/api/v1/jobs/" + jobId + "/runs?limit=1000").body().getJsonArray("items");
    List<JsonObject> out = new ArrayList<>();
    items.forEach(o -> out.add((JsonObject) o));
    return out;
  }

  private static Set<String> contextValues(List<JsonObject> runs, String key) {
    return runs.stream().map(r -> r.getJsonObject("context").getString(key)).collect(Collectors.toSet());
  }

  @Test
  void runs_timing_out_together_each_fire_the_shared_handler_once() throws Exception {
    assertThat(node().post("/api/v1/jobs", "{\"id\":\"alerts\",\"schedule\":" + NEVER
        + ",\"task\":{\"type\":\"noop\"}}").status()).isEqualTo(201);
    // all due at one instant, all outliving their timeout: they start together and time out together
    Instant at = Instant.now().plusSeconds(3);
    for (int i = 0; i < N; i++) {
      assertThat(node().post("/api/v1/jobs", "{\"id\":\"slow-" + i + "\",\"schedule\":{\"type\":\"at\",\"at\":\"" + at
          + "\"},\"task\":{\"type\":\"noop\",\"duration\":\"PT1M\"},\"timeout\":\"PT1S\","
          + "\"on_timeout\":{\"action\":\"handler\",\"handler_job_id\":\"alerts\"}}").status()).isEqualTo(201);
    }
    Set<String> timedOut = new HashSet<>();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      timedOut.clear();
      for (int i = 0; i < N; i++) {
        runsOf("slow-" + i).stream().filter(r -> "TIMED_OUT".equals(r.getString("status")))
            .forEach(r -> timedOut.add(r.getString("id")));
      }
      return timedOut.size() == N;
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> runsOf("alerts").size() >= N);
    List<JsonObject> handled = runsOf("alerts");
    assertThat(handled).hasSize(N).allSatisfy(r -> assertThat(r.getString("trigger")).isEqualTo("timeout_handler"));
    assertThat(contextValues(handled, "timed_out_run_id")).isEqualTo(timedOut);
  }

  @Test
  void runs_of_one_upstream_finishing_together_each_chain_once() throws Exception {
    assertThat(node().post("/api/v1/jobs", "{\"id\":\"upstream\",\"schedule\":" + NEVER
        + ",\"task\":{\"type\":\"noop\"}}").status()).isEqualTo(201);
    assertThat(node().post("/api/v1/jobs", "{\"id\":\"downstream\",\"schedule\":{\"type\":\"after\",\"job_id\":"
        + "\"upstream\",\"on\":\"success\"},\"task\":{\"type\":\"noop\"}}").status()).isEqualTo(201);
    Set<String> upstreamRuns = new HashSet<>();
    for (int i = 0; i < N; i++) {
      TestNode.Reply triggered = node().post("/api/v1/jobs/upstream/trigger", "{\"force\":true}");
      assertThat(triggered.status()).isEqualTo(202);
      upstreamRuns.add(triggered.body().getString("id"));
    }
    assertThat(upstreamRuns).hasSize(N);
    await().atMost(Duration.ofSeconds(60)).until(() -> runsOf("upstream").stream()
        .filter(r -> "SUCCESS".equals(r.getString("status"))).count() == N && runsOf("downstream").size() >= N);
    List<JsonObject> chained = runsOf("downstream");
    assertThat(chained).hasSize(N).allSatisfy(r -> assertThat(r.getString("trigger")).isEqualTo("after"));
    assertThat(contextValues(chained, "upstream_run_id")).isEqualTo(upstreamRuns);
    await().atMost(Duration.ofSeconds(30)).until(() -> runsOf("downstream").stream()
        .allMatch(r -> "SUCCESS".equals(r.getString("status"))));
  }
}
