package io.jobsched.it;

import io.jobsched.config.JobschedConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No log line leaves silently: lines cut by the stream's bound are counted; lines a dead indexer held are taken
 * over by a live one; lines Redis lost before they were indexed are sent again; an Elasticsearch outage keeps
 * lines in Redis until it returns (Elasticsearch really stopped and started with scripts/services.sh).
 */
class LogPipelineIT {
  private static final Vertx VERTX = Vertx.vertx();

  @AfterAll
  static void closeVertx() throws Exception {
    await(VERTX.close(), 10);
  }

  private static Redis redis(JobschedConfig cfg) {
    return Redis.createClient(VERTX, new RedisOptions().setConnectionString(cfg.redis().url()));
  }

  private static Response send(Redis redis, Request request) throws Exception {
    return await(redis.send(request), 10);
  }

  private static String streamKey(JobschedConfig cfg) {
    return cfg.redis().prefix() + ":{logs}:stream";
  }

  private static void createShellJob(TestNode node, String id, String script) throws Exception {
    assertThat(node.post("/api/v1/jobs", new JsonObject().put("id", id).put("schedule", new JsonObject().put("type", "once"))
        .put("task", new JsonObject().put("type", "shell").put("command", new JsonArray().add("/bin/sh").add("-c").add(script)))
        .encode()).status()).isEqualTo(201);
  }

  private static JsonObject onlyRun(TestNode node, String jobId) throws Exception {
    JsonArray runs = node.get("/api/v1/jobs/" + jobId + "/runs").body().getJsonArray("items");
    return runs.size() == 1 ? runs.getJsonObject(0) : new JsonObject();
  }

  @Test
  void lines_cut_by_the_stream_bound_before_indexing_are_counted_as_dropped() throws Exception {
    // no indexer anywhere: nothing drains the stream, so its bound is what cuts
    try (TestNode node = TestNode.start("logdrop", conf -> {
      conf.getJsonObject("node").put("roles", new JsonArray().add("api").add("scheduler").add("worker").add("reaper"));
      conf.getJsonObject("logs").put("stream_max_len", 1000);
    })) {
      createShellJob(node, "chatty", "seq 1 1500");
      await().alias("chatty SUCCESS").atMost(Duration.ofSeconds(30))
          .until(() -> "SUCCESS".equals(onlyRun(node, "chatty").getString("status")));
      await().alias("all 1,500 lines shipped").atMost(Duration.ofSeconds(15))
          .until(() -> MetricsIT.value(MetricsIT.scrape(node), "jobsched_log_lines_shipped_total") == 1500);
      assertThat(MetricsIT.value(MetricsIT.scrape(node), "jobsched_log_lines_dropped_total")).isEqualTo(500);
      Redis redis = redis(node.config());
      try {
        assertThat(send(redis, Request.cmd(Command.XLEN).arg(streamKey(node.config()))).toLong()).isEqualTo(1000);
      } finally {
        redis.close();
      }
    }
  }

  @Test
  void lines_a_dead_indexer_was_given_are_indexed_by_a_live_one() throws Exception {
    String isolation = TestNode.newIsolation("logclaim");
    JobschedConfig cfg = JobschedConfig.from(TestNode.isolatedConfig(isolation));
    TestNode.createDatabase(cfg.postgres(), isolation);
    String stream = streamKey(cfg);
    UUID runId = UUID.randomUUID();
    Redis redis = redis(cfg);
    try {
      // a node that read 20 lines and died before indexing them
      send(redis, Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg("indexers").arg("0").arg("MKSTREAM"));
      for (int seq = 1; seq <= 20; seq++) {
        send(redis, Request.cmd(Command.XADD).arg(stream).arg("*").arg("run").arg(runId.toString()).arg("job").arg("orphaned")
            .arg("ns").arg("default").arg("stream").arg("stdout").arg("seq").arg(seq)
            .arg("ts").arg(Instant.now().toEpochMilli()).arg("line").arg("orphan line " + seq));
      }
      Response read = send(redis, Request.cmd(Command.XREADGROUP).arg("GROUP").arg("indexers").arg("dead-node")
          .arg("COUNT").arg(100).arg("STREAMS").arg(stream).arg(">"));
      assertThat(read).isNotNull();
      assertThat(pendingOf(redis, stream, "dead-node")).isEqualTo(20);

      try (TestNode node = TestNode.startIn(isolation, conf -> conf.getJsonObject("logs").put("claim_idle_ms", 1000))) {
        await().alias("the orphaned lines searchable").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          JsonArray hits = node.get("/api/v1/logs/search?q=orphan&run_id=" + runId + "&limit=100").body().getJsonArray("items");
          assertThat(hits).hasSize(20);
        });
        assertThat(pendingOf(redis, stream, "dead-node")).isZero();
        await().alias("the stream emptied").atMost(Duration.ofSeconds(10))
            .until(() -> send(redis, Request.cmd(Command.XLEN).arg(stream)).toLong() == 0);
      }
    } finally {
      redis.close();
    }
  }

  @Test
  void lines_redis_lost_before_they_were_indexed_are_sent_again_by_their_worker() throws Exception {
    String isolation = TestNode.newIsolation("logreplay");
    JobschedConfig cfg = JobschedConfig.from(TestNode.isolatedConfig(isolation));
    TestNode.createDatabase(cfg.postgres(), isolation);
    String runId;
    // no indexer yet: the lines wait in the stream, their only copy, when Redis loses its data
    try (TestNode worker = TestNode.startIn(isolation, conf ->
        conf.getJsonObject("node").put("roles", new JsonArray().add("api").add("scheduler").add("worker").add("reaper")));
         NodeRedis redis = new NodeRedis(cfg)) {
      createShellJob(worker, "printer", "i=1; while [ $i -le 30 ]; do echo \"kept line $i\"; i=$((i+1)); done");
      await().alias("printer SUCCESS").atMost(Duration.ofSeconds(30))
          .until(() -> "SUCCESS".equals(onlyRun(worker, "printer").getString("status")));
      runId = onlyRun(worker, "printer").getString("id");
      await().alias("30 lines in the stream").atMost(Duration.ofSeconds(15))
          .until(() -> redis.streamLength(streamKey(cfg)) == 30);

      assertThat(redis.wipe()).as("the stream was wiped").contains(streamKey(cfg));
      await().alias("the worker sent them again").atMost(Duration.ofSeconds(15))
          .until(() -> MetricsIT.value(MetricsIT.scrape(worker), "jobsched_log_lines_replayed_total") == 30
              && redis.streamLength(streamKey(cfg)) == 30);
    }
    try (TestNode indexer = TestNode.startIn(isolation, conf ->
        conf.getJsonObject("node").put("roles", new JsonArray().add("api").add("indexer")))) {
      await().alias("all 30 lines readable, in order").atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertLinesInOrder(indexer, runId, "kept line ", 30));
    }
  }

  /** The run's log, as the API reads it back, is exactly {@code prefix}1 .. {@code prefix}n, in order. */
  private static void assertLinesInOrder(TestNode node, String runId, String prefix, int n) throws Exception {
    JsonArray lines = node.get("/api/v1/runs/" + runId + "/logs?limit=1000").body().getJsonArray("lines");
    assertThat(lines).isNotNull();
    List<String> texts = new ArrayList<>();
    lines.forEach(l -> texts.add(((JsonObject) l).getString("line")));
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      expected.add(prefix + i);
    }
    assertThat(texts).containsExactlyElementsOf(expected);
  }

  private static long pendingOf(Redis redis, String stream, String consumer) throws Exception {
    Response consumers = send(redis, Request.cmd(Command.XINFO).arg("CONSUMERS").arg(stream).arg("indexers"));
    for (Response c : consumers) {
      if (consumer.equals(io.jobsched.redis.HashReply.fields(c).get("name"))) {
        return Long.parseLong(io.jobsched.redis.HashReply.fields(c).get("pending"));
      }
    }
    return 0;
  }

  @Test
  void an_elasticsearch_outage_keeps_the_lines_in_redis_until_it_returns() throws Exception {
    try (TestNode node = TestNode.start("logoutage", conf -> { })) {
      createShellJob(node, "printer", "i=1; while [ $i -le 40 ]; do echo \"outage line $i\"; i=$((i+1)); sleep 0.25; done");
      await().alias("printer printing").atMost(Duration.ofSeconds(30))
          .until(() -> MetricsIT.value(MetricsIT.scrape(node), "jobsched_log_lines_shipped_total") >= 1);
      try {
        Services.run("down", "elasticsearch");
        await().alias("printer SUCCESS while Elasticsearch is down").atMost(Duration.ofSeconds(60))
            .until(() -> "SUCCESS".equals(onlyRun(node, "printer").getString("status")));
        await().alias("every line shipped").atMost(Duration.ofSeconds(15))
            .until(() -> MetricsIT.value(MetricsIT.scrape(node), "jobsched_log_lines_shipped_total") == 40);
        await().alias("lines waiting in Redis, seen by the backlog gauge").atMost(Duration.ofSeconds(15))
            .until(() -> MetricsIT.value(MetricsIT.scrape(node), "jobsched_log_stream_lines") > 0);
      } finally {
        Services.run("up", "elasticsearch");
      }
      String runId = onlyRun(node, "printer").getString("id");
      await().alias("all 40 lines readable once Elasticsearch is back").atMost(Duration.ofSeconds(90))
          .untilAsserted(() -> assertLinesInOrder(node, runId, "outage line ", 40));
      Redis redis = redis(node.config());
      try {
        await().alias("the stream emptied").atMost(Duration.ofSeconds(10))
            .until(() -> send(redis, Request.cmd(Command.XLEN).arg(streamKey(node.config()))).toLong() == 0);
      } finally {
        redis.close();
      }
      assertThat(MetricsIT.value(MetricsIT.scrape(node), "jobsched_log_lines_dropped_total")).isZero();
      assertThat(MetricsIT.value(MetricsIT.scrape(node), "jobsched_log_lines_indexed_total")).isEqualTo(40);
    }
  }
}
