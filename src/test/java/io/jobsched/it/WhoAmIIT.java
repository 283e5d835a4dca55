package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/whoami}: the presented token's scope, name and namespaces; no or an unknown token is 401. */
class WhoAmIIT {
  private static final String ADMIN = "whoami-admin-0123456789";
  private static final String READER = "whoami-read-0123456789";
  private static final String TEAM = "whoami-team-0123456789";

  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("whoami", conf -> conf.getJsonObject("auth").put("tokens",
      new JsonArray()
          .add(new JsonObject().put("token", ADMIN).put("scope", "admin").put("name", "ops"))
          .add(new JsonObject().put("token", READER).put("scope", "read"))
          .add(new JsonObject().put("token", TEAM).put("scope", "write").put("name", "team-b")
              .put("namespaces", new JsonArray().add("team-b").add("team-a")).put("task_kinds", new JsonArray().add("http")))));

  @Test
  void each_token_learns_its_own_scope_name_and_namespaces() throws Exception {
    JsonObject admin = NODE.get().as(ADMIN).get("/api/v1/whoami").body();
    assertThat(admin.getString("scope")).isEqualTo("admin");
    assertThat(admin.getString("name")).isEqualTo("ops");
    assertThat(admin.getValue("namespaces")).isNull();

    TestNode.Reply reader = NODE.get().as(READER).get("/api/v1/whoami");
    assertThat(reader.status()).isEqualTo(200);
    assertThat(reader.body().getString("scope")).isEqualTo("read");
    assertThat(reader.body().getString("name")).isEqualTo("read token");

    JsonObject team = NODE.get().as(TEAM).get("/api/v1/whoami").body();
    assertThat(team.getString("scope")).isEqualTo("write");
    assertThat(team.getJsonArray("namespaces")).containsExactly("team-a", "team-b");
    assertThat(team.getJsonArray("task_kinds")).containsExactly("http");
  }

  @Test
  void without_a_known_token_it_is_401_like_every_api_call() throws Exception {
    assertThat(NODE.get().get("/api/v1/whoami").status()).isEqualTo(401);
    assertThat(NODE.get().as("not-a-known-token-at-all").get("/api/v1/whoami").status()).isEqualTo(401);
    assertThat(NODE.get().as(ADMIN).post("/api/v1/whoami", "").status()).as("read only").isEqualTo(405);
  }
}
