package io.jobsched.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jobsched.config.ConfigLoader;
import io.jobsched.config.JobschedConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docker/compose.yaml cannot be run here (no Docker engine), so its jobsched nodes are started in-process with the
 * environment it gives them, through the same {@link ConfigLoader#applyEnv} the jar's main uses, against the
 * local services (the compose file uses host networking and the same service ports). Only what the test harness
 * must own is changed: the isolation (database, Redis prefix, index prefix, cluster name), HTTP ports (0) and
 * Hazelcast ports (shifted to the tests' range, members alike).
 */
class DockerComposeIT {
  private static final Path COMPOSE = Path.of("docker/compose.yaml");
  private static final Path DOCKERFILE = Path.of("docker/Dockerfile");

  /** The jobsched services of the compose file (those running the jobsched image), name to environment. */
  static Map<String, Map<String, String>> jobschedNodes() throws Exception {
    JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile()).get("services");
    Map<String, Map<String, String>> nodes = new TreeMap<>();
    services.fields().forEachRemaining(s -> {
      if ("jobsched:dev".equals(s.getValue().path("image").asText())) {
        Map<String, String> env = new TreeMap<>();
        s.getValue().path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        nodes.put(s.getKey(), env);
      }
    });
    return nodes;
  }

  @Test
  void the_dockerfile_runs_the_fat_jar_as_a_non_root_user_with_a_health_check() throws Exception {
    String dockerfile = Files.readString(DOCKERFILE);
    assertThat(dockerfile).contains("FROM maven:3.9-eclipse-temurin-17 AS build", "FROM eclipse-temurin:17-jre",
        "USER jobsched", "HEALTHCHECK", "/health", "conf/jvm.options", "-jar jobsched.jar");
    assertThat(Files.readString(COMPOSE)).contains("redis:7", "postgres:15", "elasticsearch:8.19", "--appendonly");
  }

  @Test
  void the_three_nodes_form_a_cluster_that_runs_jobs_with_the_roles_compose_gives_them() throws Exception {
    Map<String, Map<String, String>> nodes = jobschedNodes();
    assertThat(nodes).containsOnlyKeys("jobsched-1", "jobsched-2", "jobsched-3");
    String isolation = TestNode.newIsolation("compose");
    JsonObject isolated = TestNode.isolatedConfig(isolation);
    TestNode.createDatabase(JobschedConfig.from(isolated).postgres(), isolation);
    int hzBase = isolated.getJsonObject("cluster").getInteger("port");

    List<TestNode> started = new ArrayList<>();
    try {
      for (Map<String, String> env : nodes.values()) {
        started.add(TestNode.startIn(isolation, conf -> {
          JsonObject applied = ConfigLoader.applyEnv(conf.copy(), env);
          int composePort = applied.getJsonObject("cluster").getInteger("port");
          applied.getJsonObject("http").put("port", 0);
          applied.getJsonObject("cluster").put("port", composePort - 5701 + hzBase);
          conf.getMap().clear();
          conf.mergeIn(applied);
        }));
      }
      TestNode one = started.get(0);
      TestNode two = started.get(1);
      TestNode three = started.get(2);
      assertThat(one.node().id()).isEqualTo("jobsched-1");
      await().alias("a cluster of three").atMost(Duration.ofSeconds(60))
          .until(() -> started.stream().allMatch(n -> n.node().clusterMembers().size() == 3));

      assertThat(one.post("/api/v1/jobs", new JsonObject().put("id", "hello").put("schedule", new JsonObject().put("type", "once"))
          .put("task", new JsonObject().put("type", "shell").put("command", new JsonArray().add("echo").add("hello compose")))
          .encode()).status()).isEqualTo(201);
      await().alias("hello SUCCESS").atMost(Duration.ofSeconds(60)).until(() -> {
        JsonArray runs = two.get("/api/v1/jobs/hello/runs").body().getJsonArray("items");
        return runs != null && runs.size() == 1 && "SUCCESS".equals(runs.getJsonObject(0).getString("status"));
      });
      JsonObject run = two.get("/api/v1/jobs/hello/runs").body().getJsonArray("items").getJsonObject(0);
      assertThat(run.getString("worker")).as("jobsched-1 has no worker role").matches("jobsched-[23]/.*");
      await().alias("its line indexed").atMost(Duration.ofSeconds(30)).until(() -> {
        JsonArray lines = one.get("/api/v1/runs/" + run.getString("id") + "/logs").body().getJsonArray("lines");
        return lines != null && lines.size() == 1 && "hello compose".equals(lines.getJsonObject(0).getString("line"));
      });

      // the worker-only node answers health and metrics, and no API
      assertThat(three.get("/health").status()).isEqualTo(200);
      assertThat(three.get("/api/v1/jobs").status()).isEqualTo(404);
      assertThat(MetricsIT.scrape(three)).containsKey("jobsched_runs_started_total");
    } finally {
      for (TestNode n : started) {
        n.close();
      }
    }
  }
}
