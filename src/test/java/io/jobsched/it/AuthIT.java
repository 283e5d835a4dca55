package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bearer tokens: no or wrong token 401, weak scope 403, another namespace's jobs and runs 404. */
class AuthIT {
  private static final String ADMIN = "admin-token-0123456789";
  private static final String READER = "read-token-0123456789";
  private static final String TEAM_A = "team-a-writer-0123456789";

  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("auth", conf -> conf.getJsonObject("auth").put("tokens",
      new JsonArray()
          .add(new JsonObject().put("token", ADMIN).put("scope", "admin"))
          .add(new JsonObject().put("token", READER).put("scope", "read"))
          .add(new JsonObject().put("token", TEAM_A).put("scope", "write").put("namespaces", new JsonArray().add("team-a")))));

  private static final String JOB = "{\"id\":\"%s\",\"namespace\":\"%s\",\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"}}";

  private static TestNode node() {
    return NODE.get();
  }

  @Test
  void requests_without_a_valid_token_are_401_and_health_stays_open() throws Exception {
    TestNode.Reply none = node().get("/api/v1/jobs");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.body().getString("error")).isEqualTo("unauthorized");
    assertThat(node().as("not-a-token-at-all").get("/api/v1/jobs").status()).isEqualTo(401);
    assertThat(node().get("/health").status()).isEqualTo(200);
  }

  @Test
  void a_read_token_reads_but_cannot_write() throws Exception {
    assertThat(node().as(READER).get("/api/v1/jobs").status()).isEqualTo(200);
    TestNode.Reply write = node().as(READER).post("/api/v1/jobs", JOB.formatted("by-reader", "default"));
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.body().getString("error")).isEqualTo("forbidden");
    assertThat(node().as(ADMIN).get("/api/v1/jobs/by-reader").status()).as("nothing stored").isEqualTo(404);
  }

  @Test
  void a_namespaced_token_sees_only_its_namespace() throws Exception {
    assertThat(node().as(ADMIN).post("/api/v1/jobs", JOB.formatted("default-job", "default")).status()).isEqualTo(201);
    assertThat(node().as(TEAM_A).post("/api/v1/jobs", JOB.formatted("a-job", "team-a")).status()).isEqualTo(201);
    assertThat(node().as(TEAM_A).post("/api/v1/jobs", JOB.formatted("b-job", "team-b")).status()).isEqualTo(403);

    assertThat(node().as(TEAM_A).get("/api/v1/jobs/default-job").status()).isEqualTo(404);
    assertThat(node().as(TEAM_A).post("/api/v1/jobs/default-job/pause", "").status()).isEqualTo(404);
    assertThat(node().as(TEAM_A).delete("/api/v1/jobs/default-job").status()).isEqualTo(404);
    assertThat(node().as(TEAM_A).put("/api/v1/jobs/default-job", JOB.formatted("default-job", "team-a"), null).status())
        .as("cannot take over an id hidden in another namespace").isEqualTo(404);
    assertThat(node().as(ADMIN).get("/api/v1/jobs/default-job").body().getString("namespace")).isEqualTo("default");

    JsonArray visible = node().as(TEAM_A).get("/api/v1/jobs").body().getJsonArray("items");
    assertThat(visible.stream().map(j -> ((JsonObject) j).getString("namespace"))).containsOnly("team-a");
    assertThat(node().as(TEAM_A).get("/api/v1/jobs?namespace=default").status()).isEqualTo(403);

    String defaultRun = node().as(ADMIN).post("/api/v1/jobs/default-job/trigger", "").body().getString("id");
    assertThat(node().as(TEAM_A).get("/api/v1/runs/" + defaultRun).status()).isEqualTo(404);
    assertThat(node().as(TEAM_A).get("/api/v1/runs/" + defaultRun + "/logs").status()).isEqualTo(404);
    assertThat(node().as(ADMIN).get("/api/v1/runs/" + defaultRun).status()).isEqualTo(200);
  }

  @Test
  void the_bearer_scheme_is_case_insensitive() throws Exception {
    assertThat(node().withHeaders(Map.of("Authorization", "bearer " + READER)).get("/api/v1/jobs").status())
        .isEqualTo(200);
  }
}
