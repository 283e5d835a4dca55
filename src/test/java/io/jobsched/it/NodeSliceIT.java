package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The first vertical slice on real services: a job posted over REST is promoted from Postgres into the
 * Redis ready queue, claimed by a worker through the Lua claim, run as a process, recorded in Postgres,
 * and its output is readable from Elasticsearch.
 */
class NodeSliceIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("slice");

  private static String shellJob(String id, String script, String extra) {
    return "{\"id\":\"" + id + "\",\"schedule\":{\"type\":\"once\"},"
        + "\"task\":{\"type\":\"shell\",\"command\":[\"/bin/sh\",\"-c\"," + JsonArray.of(script).encode().substring(1)
        + "}" + extra + "}";
  }

  /** Waits for the job's single run to reach a terminal status and returns it. */
  private static JsonObject finishedRunOf(String jobId, Duration within) {
    AtomicReference<JsonObject> run = new AtomicReference<>();
    await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
      TestNode.Reply runs = NODE.get().get("/api/v1/jobs/" + jobId + "/runs");
      JsonArray items = runs.body().getJsonArray("items");
      if (items == null || items.isEmpty()) {
        return false;
      }
      JsonObject r = items.getJsonObject(0);
      run.set(r);
      return List.of("SUCCESS", "FAILED", "TIMED_OUT", "CANCELLED", "SKIPPED").contains(r.getString("status"));
    });
    return run.get();
  }

  @Test
  void a_shell_job_runs_to_success_and_its_output_is_searchable() throws Exception {
    TestNode.Reply created = NODE.get().post("/api/v1/jobs", shellJob("hello",
        "echo hello; echo \"run=$JOBSCHED_RUN_ID attempt=$JOBSCHED_ATTEMPT\"; echo oops >&2", ""));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().getString("id")).isEqualTo("hello");
    assertThat(created.body().getLong("version")).isEqualTo(1L);

    JsonObject run = finishedRunOf("hello", Duration.ofSeconds(60));
    assertThat(run.getString("status")).isEqualTo("SUCCESS");
    assertThat(run.getInteger("exit_code")).isZero();
    assertThat(run.getInteger("attempt")).isEqualTo(1);
    assertThat(run.getString("trigger")).isEqualTo("schedule");
    assertThat(run.getString("worker")).endsWith("/worker-1");
    assertThat(run.getLong("lateness_ms")).isNotNull().isGreaterThanOrEqualTo(0L);
    assertThat(run.getLong("duration_ms")).isNotNull();

    String runId = run.getString("id");
    TestNode.Reply one = NODE.get().get("/api/v1/runs/" + runId);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.body().getString("status")).isEqualTo("SUCCESS");

    AtomicReference<JsonArray> lines = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
      JsonArray l = NODE.get().get("/api/v1/runs/" + runId + "/logs").body().getJsonArray("lines");
      lines.set(l);
      return l != null && l.size() == 3;
    });
    assertThat(lines.get().stream().map(o -> ((JsonObject) o).getString("line")))
        .containsExactlyInAnyOrder("hello", "run=" + runId + " attempt=1", "oops");
    JsonObject stderrOnly = NODE.get().get("/api/v1/runs/" + runId + "/logs?stream=stderr").body();
    assertThat(stderrOnly.getJsonArray("lines")).hasSize(1);
    assertThat(stderrOnly.getJsonArray("lines").getJsonObject(0).getString("stream")).isEqualTo("stderr");
    JsonObject page = NODE.get().get("/api/v1/runs/" + runId + "/logs?limit=1").body();
    assertThat(page.getJsonArray("lines")).hasSize(1);
    long next = page.getLong("next_seq");
    assertThat(NODE.get().get("/api/v1/runs/" + runId + "/logs?after_seq=" + next).body().getJsonArray("lines")).hasSize(2);
  }

  @Test
  void a_failing_command_ends_failed_with_its_exit_code() throws Exception {
    assertThat(NODE.get().post("/api/v1/jobs", shellJob("exit-3", "echo about to fail; exit 3", "")).status()).isEqualTo(201);
    JsonObject run = finishedRunOf("exit-3", Duration.ofSeconds(60));
    assertThat(run.getString("status")).isEqualTo("FAILED");
    assertThat(run.getInteger("exit_code")).isEqualTo(3);
    assertThat(run.getString("error")).contains("exit code 3");
  }

  private static long pidIn(Path file) throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(file) && Files.readString(file).endsWith("\n"));
    return Long.parseLong(Files.readString(file).trim());
  }

  @Test
  void a_command_that_outlives_its_timeout_is_killed_and_timed_out() throws Exception {
    // the shell and its background child ignore SIGTERM, so only the SIGKILL after the grace period ends them;
    // had it not come, the run could not end within the deadline (the sleeps last 60 s each)
    Path dir = Files.createTempDirectory("slice-sleeper");
    String body = shellJob("sleeper", "trap '' TERM; echo $$ > " + dir.resolve("shell") + "; sleep 60 & echo $! > "
        + dir.resolve("child") + "; wait; sleep 60", ",\"timeout\":\"PT1S\",\"on_timeout\":{\"action\":\"fail\",\"grace\":\"PT1S\"}");
    assertThat(NODE.get().post("/api/v1/jobs", body).status()).isEqualTo(201);
    JsonObject run = finishedRunOf("sleeper", Duration.ofSeconds(50));
    assertThat(run.getString("status")).isEqualTo("TIMED_OUT");
    assertThat(run.getString("reason")).isEqualTo("timeout");
    long shell = pidIn(dir.resolve("shell"));
    long child = pidIn(dir.resolve("child"));
    await().atMost(Duration.ofSeconds(15)).until(() -> !Executions.alive(shell) && !Executions.alive(child));
  }

  @Test
  void a_timed_out_tasks_background_child_is_gone_too() throws Exception {
    Path pidFile = Files.createTempDirectory("slice-child").resolve("pid");
    assertThat(NODE.get().post("/api/v1/jobs", shellJob("with-child", "sleep 300 & echo $! > " + pidFile + "; wait",
        ",\"timeout\":\"PT1S\",\"on_timeout\":{\"action\":\"fail\",\"grace\":\"PT2S\"}")).status()).isEqualTo(201);
    long child = pidIn(pidFile);
    assertThat(Executions.alive(child)).as("the background child runs while its task does").isTrue();
    JsonObject run = finishedRunOf("with-child", Duration.ofSeconds(50));
    assertThat(run.getString("status")).isEqualTo("TIMED_OUT");
    await().atMost(Duration.ofSeconds(15)).until(() -> !Executions.alive(child));
  }

  @Test
  void an_at_job_does_not_start_before_its_time() throws Exception {
    Instant requested = Instant.now().plusSeconds(3);
    Instant at = requested.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    String body = "{\"id\":\"at-job\",\"schedule\":{\"type\":\"at\",\"at\":\"" + requested + "\"},"
        + "\"task\":{\"type\":\"shell\",\"command\":[\"true\"]}}";
    TestNode.Reply created = NODE.get().post("/api/v1/jobs", body);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().getString("next_fire_at")).isEqualTo(at.toString());
    JsonObject run = finishedRunOf("at-job", Duration.ofSeconds(60));
    assertThat(run.getString("status")).isEqualTo("SUCCESS");
    assertThat(Instant.parse(run.getString("scheduled_for"))).isEqualTo(at);
    // started on the database clock, which is this machine's: never before the fire time
    assertThat(Instant.parse(run.getString("started_at"))).isAfterOrEqualTo(at.minusMillis(50));
  }

  @Test
  void an_invalid_job_is_rejected_with_field_details_and_nothing_is_stored() throws Exception {
    TestNode.Reply bad = NODE.get().post("/api/v1/jobs", "{\"id\":\"bad\",\"schedule\":{\"type\":\"cron\","
        + "\"expression\":\"61 * * * *\"},\"task\":{\"type\":\"shell\",\"command\":[\"true\"]},\"colour\":\"red\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().getString("error")).isEqualTo("invalid_job");
    assertThat(bad.body().getString("message")).isNotBlank();
    assertThat(bad.body().getJsonArray("details").stream().map(d -> ((JsonObject) d).getString("field")))
        .contains("schedule.expression", "colour");
    assertThat(NODE.get().get("/api/v1/jobs/bad").status()).isEqualTo(404);
    assertThat(NODE.get().get("/api/v1/jobs/bad").body().getString("error")).isEqualTo("not_found");
  }

  @Test
  void malformed_and_oversized_bodies_get_the_error_shape() throws Exception {
    TestNode.Reply notJson = NODE.get().post("/api/v1/jobs", "{not json");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.body().getString("error")).isEqualTo("invalid_json");
    TestNode.Reply huge = NODE.get().post("/api/v1/jobs", "{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}");
    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.body().getString("error")).isEqualTo("payload_too_large");
  }

  @Test
  void a_taken_id_is_a_conflict() throws Exception {
    String body = "{\"id\":\"twice\",\"schedule\":{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"},\"task\":{\"type\":\"noop\"}}";
    assertThat(NODE.get().post("/api/v1/jobs", body).status()).isEqualTo(201);
    TestNode.Reply again = NODE.get().post("/api/v1/jobs", body);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().getString("error")).isEqualTo("conflict");
  }

  @Test
  void unknown_runs_and_endpoints_are_404_in_the_error_shape() throws Exception {
    assertThat(NODE.get().get("/api/v1/runs/not-a-uuid").status()).isEqualTo(404);
    assertThat(NODE.get().get("/api/v1/runs/00000000-0000-7000-8000-000000000000").status()).isEqualTo(404);
    TestNode.Reply nothing = NODE.get().get("/api/v1/nothing-here");
    assertThat(nothing.status()).isEqualTo(404);
    assertThat(nothing.body().getString("error")).isEqualTo("not_found");
  }

  @Test
  void health_reports_every_dependency_up() throws Exception {
    TestNode.Reply health = NODE.get().get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().getJsonObject("checks").getMap())
        .containsEntry("postgres", "up").containsEntry("redis", "up").containsEntry("elasticsearch", "up");
  }
}
