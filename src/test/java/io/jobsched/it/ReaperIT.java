package io.jobsched.it;

import io.jobsched.queue.Claim;
import io.jobsched.queue.LuaScripts;
import io.jobsched.queue.QueueKeys;
import io.jobsched.store.RunPartitions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.jobsched.queue.RunQueue;
import io.jobsched.store.Pools;
import io.jobsched.store.RunStore;
import io.jobsched.store.RunningRunStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker that claims a run and vanishes, simulated beside a real node: the run is claimed through the
 * real Lua script with a 1 ms lease and moved to RUNNING under that token, then nobody heartbeats. The
 * node's reaper must end the attempt from the run's row: retry, cancel, or timeout with its handler.
 */
class ReaperIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("reaper");

  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";
  private static Vertx vertx;
  private static RunQueue queue;
  private static RunStore runs;
  private static Redis redis;
  private static Pool pg;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    pg = Pools.create(vertx, NODE.get().config().postgres());
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(NODE.get().config().redis().url()));
    queue = new RunQueue(new LuaScripts(redis), NODE.get().config().redis().prefix(), NODE.get().config().queue().partitions());
    runs = new RunStore(pg);
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close(), 10);
  }

  /** Triggers a run of a job in a resource class no worker serves, then claims and starts it as a doomed worker. */
  private static UUID runOnVanishedWorker(String jobId, String extra) throws Exception {
    return runOnVanishedWorker(jobId, extra, 1);
  }

  private static UUID runOnVanishedWorker(String jobId, String extra, int leaseMs) throws Exception {
    TestNode node = NODE.get();
    assertThat(node.post("/api/v1/jobs", "{\"id\":\"" + jobId + "\",\"schedule\":" + NEVER + ",\"resources\":"
        + "{\"class\":\"ghost\"},\"task\":{\"type\":\"noop\"}" + extra + "}").status()).isEqualTo(201);
    UUID runId = UUID.fromString(node.post("/api/v1/jobs/" + jobId + "/trigger", "").body().getString("id"));
    int partition = queue.partitionOf(jobId);
    List<Claim> claims = await(queue.claim(partition, "ghost", "noop", 10, leaseMs), 10);
    assertThat(claims).extracting(Claim::runId).contains(runId);
    Claim mine = claims.stream().filter(c -> c.runId().equals(runId)).findFirst().orElseThrow();
    assertThat(await(new RunningRunStore(pg).markRunning(List.of(new RunningRunStore.Start(
        await(runs.get(runId), 10).orElseThrow(), mine.token(), System.nanoTime())), "doomed/worker-1"), 10)).hasSize(1);
    return runId;
  }

  private static List<JsonObject> runsOf(String jobId) throws Exception {
    JsonArray items = NODE.get().get("/api/v1/jobs/" + jobId + "/runs").body().getJsonArray("items");
    return items.stream().map(o -> (JsonObject) o).sorted(Comparator.comparing(r -> r.getInteger("attempt"))).toList();
  }

  private static JsonObject run(UUID id) throws Exception {
    return NODE.get().get("/api/v1/runs/" + id).body();
  }

  @Test
  void a_vanished_workers_attempt_fails_after_its_lease_and_is_retried() throws Exception {
    UUID runId = runOnVanishedWorker("lost", ",\"retry\":{\"max_attempts\":2,\"initial_delay\":\"PT0.1S\"}");
    await().atMost(Duration.ofSeconds(60)).until(() -> "FAILED".equals(run(runId).getString("status")));
    assertThat(run(runId).getString("reason")).isEqualTo("lease_expired");
    await().atMost(Duration.ofSeconds(30)).until(() -> runsOf("lost").size() == 2);
    assertThat(runsOf("lost").get(1).getString("trigger")).isEqualTo("retry");
  }

  @Test
  void a_cancel_recorded_for_a_vanished_worker_ends_the_run_cancelled_without_retry() throws Exception {
    UUID runId = runOnVanishedWorker("lost-cancelled", ",\"retry\":{\"max_attempts\":3}");
    assertThat(NODE.get().post("/api/v1/runs/" + runId + "/cancel", "").status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(60)).until(() -> "CANCELLED".equals(run(runId).getString("status")));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30)).until(() -> runsOf("lost-cancelled").size() == 1);
    assertThat(runsOf("lost-cancelled")).hasSize(1);
  }

  @Test
  void an_overdue_run_of_a_vanished_worker_times_out_and_its_handler_fires_once() throws Exception {
    assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"pager\",\"schedule\":" + NEVER
        + ",\"resources\":{\"class\":\"ghost\"},\"task\":{\"type\":\"noop\"}}").status()).isEqualTo(201);
    UUID runId = runOnVanishedWorker("lost-overdue", ",\"timeout\":\"PT0.001S\","
        + "\"on_timeout\":{\"action\":\"handler\",\"handler_job_id\":\"pager\"}");
    await().atMost(Duration.ofSeconds(60)).until(() -> "TIMED_OUT".equals(run(runId).getString("status")));
    await().atMost(Duration.ofSeconds(30)).until(() -> runsOf("pager").size() == 1);
    JsonObject handler = runsOf("pager").get(0);
    assertThat(handler.getString("trigger")).isEqualTo("timeout_handler");
    assertThat(handler.getJsonObject("context").getString("timed_out_run_id")).isEqualTo(runId.toString());
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30)).until(() -> runsOf("pager").size() == 1);
    assertThat(runsOf("pager")).as("fired once although the reaper runs every 500 ms").hasSize(1);
  }

  @Test
  void a_running_run_whose_lease_redis_lost_is_settled_once_its_restored_lease_runs_out() throws Exception {
    // an hour's lease: only the wipe below can end it early
    UUID runId = runOnVanishedWorker("wiped", "", 3_600_000);
    QueueKeys k = queue.keys(queue.partitionOf("wiped"));
    await(redis.send(Request.cmd(Command.DEL).arg(k.leases()).arg(k.owners())), 10);
    await().atMost(Duration.ofSeconds(60)).until(() -> "FAILED".equals(run(runId).getString("status")));
    assertThat(run(runId).getString("reason")).isEqualTo("lease_expired");
    await().atMost(Duration.ofSeconds(30)).until(() -> runsOf("wiped").size() == 2);
    assertThat(runsOf("wiped").get(1).getJsonObject("context").getInteger("workers_lost")).isEqualTo(1);
  }

  @Test
  void the_current_runs_partition_can_be_analyzed_for_the_planner() throws Exception {
    await(new RunPartitions(pg).analyzeCurrent(), 30);
    String part = "runs_" + java.time.format.DateTimeFormatter.ofPattern("yyyy_MM").withZone(java.time.ZoneOffset.UTC)
        .format(java.time.Instant.now());
    io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> rows = await(pg.preparedQuery(
        "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = $1").execute(io.vertx.sqlclient.Tuple.of(part)), 10);
    assertThat(rows.iterator().next().getValue(0)).as("last_analyze of " + part).isNotNull();
  }
}
