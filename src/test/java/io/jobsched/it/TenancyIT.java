package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Namespace walls and task-kind rights: another namespace's jobs and runs do not exist for a namespaced token,
 * whatever the path; jobs reference only jobs of their own namespace, and follow-ups never fire across;
 * a shell task (any command on the workers) needs the admin scope or a token listing "shell".
 */
class TenancyIT {
  private static final String ADMIN = "admin-token-0123456789";
  private static final String WRITER = "plain-writer-0123456789";
  private static final String TEAM_A = "team-a-writer-0123456789";
  private static final String TEAM_A_READ = "team-a-reader-0123456789";
  private static final String SHELL_A = "team-a-shell-0123456789";
  private static final String HTTP_ONLY = "http-only-0123456789";
  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";

  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("tenancy", conf -> conf.getJsonObject("auth").put("tokens",
      new JsonArray()
          .add(token(ADMIN, "admin"))
          .add(token(WRITER, "write").put("name", "ci-bot"))
          .add(token(TEAM_A, "write").put("namespaces", new JsonArray().add("team-a")))
          .add(token(TEAM_A_READ, "read").put("namespaces", new JsonArray().add("team-a")))
          .add(token(SHELL_A, "write").put("namespaces", new JsonArray().add("team-a"))
              .put("task_kinds", new JsonArray().add("shell").add("noop")))
          .add(token(HTTP_ONLY, "write").put("task_kinds", new JsonArray().add("http")))));

  private static JsonObject token(String token, String scope) {
    return new JsonObject().put("token", token).put("scope", scope);
  }

  private static TestNode as(String token) {
    return NODE.get().as(token);
  }

  private static String noop(String id, String namespace) {
    return "{\"id\":\"" + id + "\",\"namespace\":\"" + namespace + "\",\"schedule\":" + NEVER
        + ",\"task\":{\"type\":\"noop\"}}";
  }

  private static String shell(String id, String namespace) {
    return "{\"id\":\"" + id + "\",\"namespace\":\"" + namespace + "\",\"schedule\":" + NEVER
        + ",\"task\":{\"type\":\"shell\",\"command\":[\"true\"]}}";
  }

  private static JsonArray runsOf(String jobId) throws Exception {
    return as(ADMIN).get("/api/v1/jobs/" + jobId + "/runs").body().getJsonArray("items");
  }

  @Test
  void a_shell_task_needs_the_admin_scope_or_a_token_that_lists_shell() throws Exception {
    TestNode.Reply refused = as(WRITER).post("/api/v1/jobs", shell("w-shell", "default"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().getString("error")).isEqualTo("forbidden_task_kind");
    assertThat(as(ADMIN).get("/api/v1/jobs/w-shell").status()).as("nothing stored").isEqualTo(404);

    assertThat(as(WRITER).post("/api/v1/jobs", noop("w-noop", "default")).status()).isEqualTo(201);
    TestNode.Reply replaced = as(WRITER).put("/api/v1/jobs/w-noop", shell("w-noop", "default"), null);
    assertThat(replaced.status()).isEqualTo(403);
    assertThat(replaced.body().getString("error")).isEqualTo("forbidden_task_kind");
    assertThat(as(ADMIN).get("/api/v1/jobs/w-noop").body().getJsonObject("task").getString("type")).isEqualTo("noop");

    TestNode.Reply batch = as(WRITER).post("/api/v1/jobs/batch",
        "{\"jobs\":[" + noop("w-batch-1", "default") + "," + shell("w-batch-2", "default") + "]}");
    assertThat(batch.status()).isEqualTo(403);
    assertThat(batch.body().getString("message")).startsWith("jobs[1]");
    assertThat(as(ADMIN).get("/api/v1/jobs/w-batch-1").status()).as("all or nothing").isEqualTo(404);

    assertThat(as(ADMIN).post("/api/v1/jobs", shell("admin-shell", "default")).status()).isEqualTo(201);
    assertThat(as(SHELL_A).post("/api/v1/jobs", shell("a-shell", "team-a")).status()).isEqualTo(201);
    assertThat(as(HTTP_ONLY).post("/api/v1/jobs", noop("h-noop", "default")).body().getString("error"))
        .as("task_kinds lists what a token may use").isEqualTo("forbidden_task_kind");
    assertThat(as(HTTP_ONLY).post("/api/v1/jobs", "{\"id\":\"h-http\",\"schedule\":" + NEVER
        + ",\"task\":{\"type\":\"http\",\"url\":\"http://127.0.0.1:9/\"}}").status()).isEqualTo(201);
  }

  @Test
  void another_namespaces_job_cannot_be_triggered_listed_or_cancelled() throws Exception {
    assertThat(as(ADMIN).post("/api/v1/jobs", "{\"id\":\"d-job\",\"schedule\":" + NEVER
        + ",\"resources\":{\"class\":\"nobody-serves-this\"},\"task\":{\"type\":\"noop\"}}").status()).isEqualTo(201);
    String run = as(ADMIN).post("/api/v1/jobs/d-job/trigger", "").body().getString("id");

    assertThat(as(TEAM_A).post("/api/v1/jobs/d-job/trigger", "").status()).isEqualTo(404);
    assertThat(as(TEAM_A).get("/api/v1/jobs/d-job/runs").status()).isEqualTo(404);
    assertThat(as(TEAM_A).post("/api/v1/runs/" + run + "/cancel", "").status()).isEqualTo(404);
    assertThat(runsOf("d-job")).singleElement()
        .satisfies(r -> assertThat(((JsonObject) r).getString("status")).as("not cancelled").isEqualTo("PENDING"));

    TestNode.Reply batch = as(TEAM_A).post("/api/v1/jobs/batch",
        "{\"jobs\":[" + noop("a-ok", "team-a") + "," + noop("b-sneaky", "team-b") + "]}");
    assertThat(batch.status()).isEqualTo(403);
    assertThat(as(ADMIN).get("/api/v1/jobs/a-ok").status()).isEqualTo(404);
    assertThat(as(ADMIN).get("/api/v1/jobs/b-sneaky").status()).isEqualTo(404);
  }

  @Test
  void a_namespaced_read_token_reads_its_namespace_only_and_writes_nothing() throws Exception {
    assertThat(as(TEAM_A).post("/api/v1/jobs", noop("a-read-me", "team-a")).status()).isEqualTo(201);
    assertThat(as(ADMIN).post("/api/v1/jobs", noop("d-hidden", "default")).status()).isEqualTo(201);

    assertThat(as(TEAM_A_READ).get("/api/v1/jobs/a-read-me").status()).isEqualTo(200);
    assertThat(as(TEAM_A_READ).get("/api/v1/jobs/a-read-me/runs").status()).isEqualTo(200);
    assertThat(as(TEAM_A_READ).get("/api/v1/jobs/d-hidden").status()).isEqualTo(404);
    assertThat(as(TEAM_A_READ).get("/api/v1/jobs").body().getJsonArray("items").stream()
        .map(j -> ((JsonObject) j).getString("namespace"))).containsOnly("team-a");
    assertThat(as(TEAM_A_READ).post("/api/v1/jobs", noop("a-by-reader", "team-a")).status()).isEqualTo(403);
    assertThat(as(TEAM_A_READ).post("/api/v1/jobs/a-read-me/trigger", "").status()).isEqualTo(403);
    assertThat(as(TEAM_A_READ).post("/api/v1/jobs/a-read-me/pause", "").status()).isEqualTo(403);
    assertThat(runsOf("a-read-me")).isEmpty();
    assertThat(as(ADMIN).get("/api/v1/jobs/a-read-me").body().getBoolean("paused")).isFalse();
  }

  @Test
  void jobs_reference_only_jobs_of_their_own_namespace() throws Exception {
    assertThat(as(ADMIN).post("/api/v1/jobs", noop("shared-pager", "default")).status()).isEqualTo(201);
    assertThat(as(ADMIN).post("/api/v1/jobs", noop("a-pager", "team-a")).status()).isEqualTo(201);
    String handler = "{\"id\":\"%s\",\"namespace\":\"team-a\",\"schedule\":" + NEVER + ",\"task\":{\"type\":\"noop\"},"
        + "\"on_timeout\":{\"action\":\"handler\",\"handler_job_id\":\"%s\"}}";

    for (String missing : new String[] {"shared-pager", "no-such-job"}) {
      TestNode.Reply r = as(ADMIN).post("/api/v1/jobs", handler.formatted("a-guarded", missing));
      assertThat(r.status()).as(missing).isEqualTo(422);
      assertThat(r.body().getString("error")).isEqualTo("unknown_handler");
      assertThat(r.body().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("on_timeout.handler_job_id");
    }
    assertThat(as(ADMIN).post("/api/v1/jobs", handler.formatted("a-self", "a-self")).status()).isEqualTo(422);
    assertThat(as(TEAM_A).post("/api/v1/jobs", handler.formatted("a-guarded", "a-pager")).status()).isEqualTo(201);

    TestNode.Reply after = as(ADMIN).post("/api/v1/jobs", "{\"id\":\"a-after\",\"namespace\":\"team-a\","
        + "\"schedule\":{\"type\":\"after\",\"job_id\":\"shared-pager\"},\"task\":{\"type\":\"noop\"}}");
    assertThat(after.status()).isEqualTo(422);
    assertThat(after.body().getString("error")).isEqualTo("unknown_dependency");
    assertThat(as(ADMIN).get("/api/v1/jobs/a-after").status()).isEqualTo(404);
  }

  @Test
  void follow_ups_do_not_fire_into_a_job_that_moved_to_another_namespace() throws Exception {
    assertThat(as(ADMIN).post("/api/v1/jobs", noop("m-up", "team-a")).status()).isEqualTo(201);
    assertThat(as(ADMIN).post("/api/v1/jobs", "{\"id\":\"m-down\",\"namespace\":\"team-a\",\"schedule\":"
        + "{\"type\":\"after\",\"job_id\":\"m-up\"},\"task\":{\"type\":\"noop\"}}").status()).isEqualTo(201);
    assertThat(as(ADMIN).post("/api/v1/jobs", noop("m-pager", "team-a")).status()).isEqualTo(201);
    assertThat(as(ADMIN).post("/api/v1/jobs", "{\"id\":\"m-slow\",\"namespace\":\"team-a\",\"schedule\":" + NEVER
        + ",\"task\":{\"type\":\"noop\",\"duration\":\"PT1M\"},\"timeout\":\"PT1S\","
        + "\"on_timeout\":{\"action\":\"handler\",\"handler_job_id\":\"m-pager\"}}").status()).isEqualTo(201);
    // the downstream and the handler move to another namespace after the references were made
    assertThat(as(ADMIN).put("/api/v1/jobs/m-down", "{\"id\":\"m-down\",\"namespace\":\"team-b\",\"schedule\":"
        + "{\"type\":\"after\",\"job_id\":\"m-up\"},\"task\":{\"type\":\"noop\"}}", null).status()).isEqualTo(422);
    assertThat(as(ADMIN).put("/api/v1/jobs/m-pager", noop("m-pager", "team-b"), null).status()).isEqualTo(200);
    assertThat(as(ADMIN).put("/api/v1/jobs/m-up", noop("m-up", "team-b"), null).status()).isEqualTo(200);

    as(ADMIN).post("/api/v1/jobs/m-up/trigger", "");
    as(ADMIN).post("/api/v1/jobs/m-slow/trigger", "");
    await().atMost(Duration.ofSeconds(30)).until(() -> runsOf("m-up").size() == 1
        && "SUCCESS".equals(runsOf("m-up").getJsonObject(0).getString("status"))
        && runsOf("m-slow").size() == 1 && "TIMED_OUT".equals(runsOf("m-slow").getJsonObject(0).getString("status")));
    // a follow-up is created by the statement that records its cause: none now means none ever
    assertThat(runsOf("m-down")).isEmpty();
    assertThat(runsOf("m-pager")).isEmpty();
  }
}
