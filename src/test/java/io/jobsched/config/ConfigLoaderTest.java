package io.jobsched.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
  private static JsonObject defaults() throws IOException {
    return new JsonObject(Files.readString(Path.of("conf/jobsched.json")));
  }

  @Test
  void the_shipped_defaults_are_valid() throws IOException {
    JobschedConfig cfg = JobschedConfig.from(defaults());
    assertThat(cfg.http().port()).isEqualTo(8080);
    assertThat(cfg.node().roles()).contains("api", "scheduler", "worker", "reaper", "indexer");
    assertThat(cfg.http().apiInstances()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void the_api_runs_on_as_many_event_loops_as_asked() throws IOException {
    JobschedConfig three = JobschedConfig.from(ConfigLoader.applyEnv(defaults(), Map.of("JOBSCHED_HTTP_INSTANCES", "3")));
    assertThat(three.http().apiInstances()).isEqualTo(3);
    // a random port is the first server's own: a second could not share it
    JobschedConfig random = JobschedConfig.from(ConfigLoader.applyEnv(defaults(),
        Map.of("JOBSCHED_HTTP_INSTANCES", "3", "JOBSCHED_HTTP_PORT", "0")));
    assertThat(random.http().apiInstances()).isEqualTo(1);
    assertThatThrownBy(() -> JobschedConfig.from(ConfigLoader.applyEnv(defaults(), Map.of("JOBSCHED_HTTP_INSTANCES", "-1"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.instances");
  }

  @Test
  void environment_overrides_follow_the_type_of_the_default() throws IOException {
    JsonObject merged = ConfigLoader.applyEnv(defaults(), Map.of(
        "JOBSCHED_POSTGRES_PORT", "5432",
        "JOBSCHED_POSTGRES_POOL_SIZE", "3",
        "JOBSCHED_NODE_ROLES", "api,worker",
        "JOBSCHED_WORKER_CAPACITY", "{\"small\":4,\"large\":1}",
        "JOBSCHED_CLUSTER_ENABLED", "false",
        "PATH", "/usr/bin"));
    JobschedConfig cfg = JobschedConfig.from(merged);
    assertThat(cfg.postgres().port()).isEqualTo(5432);
    assertThat(cfg.postgres().poolSize()).isEqualTo(3);
    assertThat(cfg.node().roles()).containsExactly("api", "worker");
    assertThat(cfg.worker().capacity()).containsEntry("small", 4).containsEntry("large", 1);
    assertThat(cfg.cluster().enabled()).isFalse();
  }

  @Test
  void an_unknown_variable_names_itself() {
    assertThatThrownBy(() -> ConfigLoader.applyEnv(defaults(), Map.of("JOBSCHED_POSTGRES_PROT", "1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("JOBSCHED_POSTGRES_PROT");
  }

  @Test
  void a_bad_value_names_the_key() throws IOException {
    assertThatThrownBy(() -> ConfigLoader.applyEnv(defaults(), Map.of("JOBSCHED_HTTP_PORT", "eighty")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.port");
    JsonObject outOfRange = defaults();
    outOfRange.getJsonObject("http").put("port", 70000);
    assertThatThrownBy(() -> JobschedConfig.from(outOfRange)).hasMessageContaining("http.port");
    JsonObject unknownRole = defaults();
    unknownRole.getJsonObject("node").put("roles", new io.vertx.core.json.JsonArray().add("chef"));
    assertThatThrownBy(() -> JobschedConfig.from(unknownRole)).hasMessageContaining("node.roles");
    JsonObject unknownKey = defaults();
    unknownKey.getJsonObject("redis").put("urll", "x");
    assertThatThrownBy(() -> JobschedConfig.from(unknownKey)).hasMessageContaining("redis.urll");
  }

  @Test
  void heartbeats_must_fit_twice_into_a_lease() throws IOException {
    JsonObject cfg = defaults();
    cfg.getJsonObject("worker").put("lease_ms", 1000).put("heartbeat_ms", 800);
    assertThatThrownBy(() -> JobschedConfig.from(cfg)).hasMessageContaining("worker.heartbeat_ms");
  }

  @Test
  void task_kinds_of_workers_and_tokens_are_known_kinds() throws IOException {
    assertThat(JobschedConfig.from(defaults()).worker().taskKinds()).containsExactly("shell", "http", "eventbus", "noop");
    assertThat(ConfigLoader.applyEnv(defaults(), Map.of("JOBSCHED_WORKER_TASK_KINDS", "noop,http"))
        .getJsonObject("worker").getJsonArray("task_kinds").getList()).containsExactly("noop", "http");
    for (String bad : new String[] {"[\"bash\"]", "[]", "[\"noop\",\"noop\"]"}) {
      JsonObject cfg = defaults();
      cfg.getJsonObject("worker").put("task_kinds", new io.vertx.core.json.JsonArray(bad));
      assertThatThrownBy(() -> JobschedConfig.from(cfg)).as(bad).hasMessageContaining("worker.task_kinds");
    }
    JsonObject cfg = defaults();
    cfg.getJsonObject("auth").put("tokens", new io.vertx.core.json.JsonArray().add(new JsonObject()
        .put("token", "0123456789abcdef-secret").put("scope", "write").put("task_kinds", new io.vertx.core.json.JsonArray().add("sh"))));
    assertThatThrownBy(() -> JobschedConfig.from(cfg)).hasMessageContaining("auth.tokens[0].task_kinds");
    cfg.getJsonObject("auth").getJsonArray("tokens").getJsonObject(0)
        .put("task_kinds", new io.vertx.core.json.JsonArray().add("shell")).put("name", "");
    assertThatThrownBy(() -> JobschedConfig.from(cfg)).hasMessageContaining("auth.tokens[0].name");
    cfg.getJsonObject("auth").getJsonArray("tokens").getJsonObject(0).put("name", "deploy-bot");
    assertThat(JobschedConfig.from(cfg).auth().tokens()).singleElement().satisfies(t -> {
      assertThat(t.name()).isEqualTo("deploy-bot");
      assertThat(t.taskKinds()).containsExactly("shell");
    });
  }

  @Test
  void exposing_the_api_beyond_loopback_without_tokens_is_refused() throws IOException {
    JsonObject cfg = defaults();
    cfg.getJsonObject("http").put("host", "0.0.0.0");
    assertThatThrownBy(() -> JobschedConfig.from(cfg)).hasMessageContaining("auth.tokens");
    cfg.getJsonObject("auth").put("tokens", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("token", "0123456789abcdef-secret").put("scope", "write")));
    assertThat(JobschedConfig.from(cfg).auth().tokens()).singleElement()
        .satisfies(t -> assertThat(t.sha256()).isEqualTo(AuthConfig.sha256("0123456789abcdef-secret")));
  }

  @Test
  void tokens_are_validated_and_may_be_given_as_hashes() throws IOException {
    JsonObject cfg = defaults();
    cfg.getJsonObject("auth").put("tokens", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("token", "short").put("scope", "read")));
    assertThatThrownBy(() -> JobschedConfig.from(cfg)).hasMessageContaining("auth.tokens[0].token");
    cfg.getJsonObject("auth").put("tokens", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("token", "0123456789abcdef").put("scope", "root")));
    assertThatThrownBy(() -> JobschedConfig.from(cfg)).hasMessageContaining("auth.tokens[0].scope");
    String hash = AuthConfig.sha256("0123456789abcdef");
    JsonObject viaEnv = ConfigLoader.applyEnv(defaults(), Map.of("JOBSCHED_AUTH_TOKENS",
        "[{\"token_sha256\":\"" + hash + "\",\"scope\":\"read\",\"namespaces\":[\"a\"]}]"));
    assertThat(JobschedConfig.from(viaEnv).auth().tokens()).singleElement()
        .satisfies(t -> assertThat(t.namespaces()).containsExactly("a"));
  }

  @Test
  void redis_is_standalone_by_default_and_a_cluster_needs_its_seeds() throws IOException {
    JobschedConfig.Redis standalone = JobschedConfig.from(defaults()).redis();
    assertThat(standalone.cluster()).isFalse();
    assertThat(standalone.endpoints()).isEmpty();
    JobschedConfig.Redis cluster = JobschedConfig.from(ConfigLoader.applyEnv(defaults(), Map.of(
        "JOBSCHED_REDIS_MODE", "cluster",
        "JOBSCHED_REDIS_ENDPOINTS", "redis://127.0.0.1:17001,redis://127.0.0.1:17002"))).redis();
    assertThat(cluster.cluster()).isTrue();
    assertThat(cluster.endpoints()).containsExactly("redis://127.0.0.1:17001", "redis://127.0.0.1:17002");

    JsonObject noSeeds = defaults();
    noSeeds.getJsonObject("redis").put("mode", "cluster");
    assertThatThrownBy(() -> JobschedConfig.from(noSeeds)).hasMessageContaining("redis.endpoints");
    JsonObject badMode = defaults();
    badMode.getJsonObject("redis").put("mode", "sentinel");
    assertThatThrownBy(() -> JobschedConfig.from(badMode)).hasMessageContaining("redis.mode");
    JsonObject badSeed = defaults();
    badSeed.getJsonObject("redis").put("mode", "cluster")
        .put("endpoints", new io.vertx.core.json.JsonArray().add("http://127.0.0.1:17001"));
    assertThatThrownBy(() -> JobschedConfig.from(badSeed)).hasMessageContaining("redis.endpoints");
    JsonObject seedsWhileStandalone = defaults();
    seedsWhileStandalone.getJsonObject("redis").put("endpoints", new io.vertx.core.json.JsonArray().add("redis://127.0.0.1:17001"));
    assertThatThrownBy(() -> JobschedConfig.from(seedsWhileStandalone)).hasMessageContaining("redis.endpoints");
  }
}
