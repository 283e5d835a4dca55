package io.jobsched.it;

import io.jobsched.queue.QueueKeys;
import io.jobsched.queue.RunQueue;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.jobsched.queue.Partitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** worker.task_kinds: a worker never claims a run of a kind it refuses; a worker that runs that kind does. */
class WorkerTaskKindsIT {
  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";

  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("kinds", conf -> {
    conf.getJsonObject("worker").put("task_kinds", new JsonArray().add("noop"));
    conf.getJsonObject("cluster").put("enabled", false);
  });

  private static String status(String runId) throws Exception {
    return NODE.get().get("/api/v1/runs/" + runId).body().getString("status");
  }

  @Test
  void a_refused_kind_waits_for_a_worker_that_runs_it() throws Exception {
    TestNode node = NODE.get();
    assertThat(node.post("/api/v1/jobs", "{\"id\":\"sh\",\"schedule\":" + NEVER
        + ",\"task\":{\"type\":\"shell\",\"command\":[\"true\"]}}").status()).isEqualTo(201);
    assertThat(node.post("/api/v1/jobs", "{\"id\":\"nj\",\"schedule\":" + NEVER
        + ",\"task\":{\"type\":\"noop\"}}").status()).isEqualTo(201);
    String shellRun = node.post("/api/v1/jobs/sh/trigger", "").body().getString("id");
    String noopRun = node.post("/api/v1/jobs/nj/trigger", "").body().getString("id");
    await().atMost(Duration.ofSeconds(20)).until(() -> "SUCCESS".equals(status(noopRun)));

    Vertx vertx = Vertx.vertx();
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(node.config().redis().url()));
    try {
      QueueKeys keys = new QueueKeys(node.config().redis().prefix(),
          Partitions.bucket("sh", node.config().queue().partitions()));
      // the shell run sits in its own queue, unclaimed (no owner entry), through many polls of the worker
      org.awaitility.Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30)).until(() ->
          await(redis.send(Request.cmd(Command.ZSCORE).arg(keys.ready("default", "shell")).arg(shellRun)), 5) != null
              && await(redis.send(Request.cmd(Command.HEXISTS).arg(keys.owners()).arg(shellRun)), 5).toInteger() == 0
              && "PENDING".equals(status(shellRun)));
    } finally {
      await(vertx.close(), 10);
    }

    String isolation = node.config().postgres().database();
    try (TestNode shellWorker = TestNode.startIn(isolation, conf -> {
      conf.getJsonObject("node").put("roles", new JsonArray().add("api").add("worker"));
      conf.getJsonObject("cluster").put("enabled", false);
    })) {
      await().atMost(Duration.ofSeconds(20)).until(() -> "SUCCESS".equals(status(shellRun)));
      assertThat(node.get("/api/v1/runs/" + shellRun).body().getString("worker")).startsWith(shellWorker.node().id());
    }
  }
}
