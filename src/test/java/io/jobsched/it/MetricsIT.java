package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /metrics} (Prometheus text, every series {@code jobsched_…}) counts what the node did: runs started and
 * finished by status, their start lateness, log lines shipped and indexed, HTTP requests by route, pools, the JVM;
 * {@code GET /api/v1/overview} gives the cluster's last hour minute by minute.
 */
class MetricsIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("metrics");

  /** Series (name plus labels, as printed) to value. */
  static Map<String, Double> scrape(TestNode node) throws Exception {
    RawHttp.Answer answer = RawHttp.send(node, "GET", "/metrics", null);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    Map<String, Double> series = new LinkedHashMap<>();
    for (String line : answer.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return series;
  }

  static double value(Map<String, Double> series, String name) {
    return series.getOrDefault(name, -1.0);
  }

  private static void runOnce(String id, String script) throws Exception {
    assertThat(NODE.get().post("/api/v1/jobs", new JsonObject().put("id", id).put("schedule", new JsonObject().put("type", "once"))
        .put("task", new JsonObject().put("type", "shell").put("command", new JsonArray().add("/bin/sh").add("-c").add(script)))
        .put("retry", new JsonObject().put("max_attempts", 1)).encode()).status()).isEqualTo(201);
  }

  private static void awaitEnded(String id, String status) {
    await().alias(id + " " + status).atMost(Duration.ofSeconds(30)).until(() -> {
      JsonArray runs = NODE.get().get("/api/v1/jobs/" + id + "/runs").body().getJsonArray("items");
      return runs.size() == 1 && status.equals(runs.getJsonObject(0).getString("status"));
    });
  }

  @Test
  void runs_log_lines_requests_and_pools_are_counted() throws Exception {
    runOnce("prints", "echo one; echo two; echo three");
    runOnce("fails", "exit 3");
    awaitEnded("prints", "SUCCESS");
    awaitEnded("fails", "FAILED");

    await().alias("the counters caught up").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Map<String, Double> s = scrape(NODE.get());
      assertThat(value(s, "jobsched_runs_started_total")).isGreaterThanOrEqualTo(2);
      assertThat(value(s, "jobsched_runs_finished_total{status=\"SUCCESS\"}")).isGreaterThanOrEqualTo(1);
      assertThat(value(s, "jobsched_runs_finished_total{status=\"FAILED\"}")).isGreaterThanOrEqualTo(1);
      assertThat(value(s, "jobsched_runs_finished_total{status=\"TIMED_OUT\"}")).isZero();
      assertThat(value(s, "jobsched_run_start_lateness_seconds_count")).isGreaterThanOrEqualTo(2);
      assertThat(s).containsKey("jobsched_run_start_lateness_seconds_bucket{le=\"0.01\"}");
      assertThat(value(s, "jobsched_log_lines_shipped_total")).isGreaterThanOrEqualTo(3);
      assertThat(value(s, "jobsched_log_lines_indexed_total")).isGreaterThanOrEqualTo(3);
      assertThat(value(s, "jobsched_log_lines_dropped_total")).isZero();
      assertThat(s).containsKeys("jobsched_promotion_lag_seconds", "jobsched_lease_expiries_total",
          "jobsched_reaper_actions_total{action=\"settled\"}", "jobsched_log_stream_lines",
          "jobsched_log_index_lag_seconds");
      assertThat(value(s, "jobsched_queue_depth{class=\"default\",state=\"ready\"}")).isGreaterThanOrEqualTo(0);
      assertThat(s.keySet()).anySatisfy(k -> assertThat(k)
          .startsWith("jobsched_vertx_http_server_requests_total").contains("code=\"201\"").contains("route="));
      assertThat(s.keySet()).anySatisfy(k -> assertThat(k).startsWith("jobsched_vertx_pool_").contains("pool_type=\"sql\""));
      assertThat(s.keySet()).anySatisfy(k -> assertThat(k).startsWith("jobsched_jvm_memory_used_bytes"));
      assertThat(s.keySet()).allSatisfy(k -> assertThat(k).startsWith("jobsched_"));
    });
  }

  @Test
  void the_overview_shows_the_last_hour_minute_by_minute() throws Exception {
    runOnce("overview-ok", "true");
    runOnce("overview-fails", "false");
    awaitEnded("overview-ok", "SUCCESS");
    awaitEnded("overview-fails", "FAILED");

    await().alias("the minute counts reached Redis").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      JsonObject overview = NODE.get().get("/api/v1/overview").body();
      assertThat(overview.getInteger("window_minutes")).isEqualTo(60);
      assertThat(overview.getJsonArray("lateness_buckets_ms").getList()).containsExactly(10, 50, 100, 250, 500, 1000, 5000);
      JsonArray minutes = overview.getJsonArray("minutes");
      assertThat(minutes).hasSize(60);
      long started = 0;
      long succeeded = 0;
      long failed = 0;
      long lateCounted = 0;
      for (Object o : minutes) {
        JsonObject m = (JsonObject) o;
        started += m.getLong("started");
        succeeded += m.getJsonObject("finished").getLong("SUCCESS", 0L);
        failed += m.getJsonObject("finished").getLong("FAILED", 0L);
        assertThat(m.getJsonArray("lateness_counts")).hasSize(8);
        for (Object c : m.getJsonArray("lateness_counts")) {
          lateCounted += ((Number) c).longValue();
        }
      }
      assertThat(started).isGreaterThanOrEqualTo(2).isEqualTo(lateCounted);
      assertThat(succeeded).isGreaterThanOrEqualTo(1);
      assertThat(failed).isGreaterThanOrEqualTo(1);
      JsonObject last = minutes.getJsonObject(59);
      assertThat(java.time.Instant.parse(last.getString("at")))
          .isAfter(java.time.Instant.now().minus(Duration.ofMinutes(2)));
      assertThat(overview.getJsonArray("queues").stream().map(q -> ((JsonObject) q).getString("class"))).contains("default");
    });
  }
}
