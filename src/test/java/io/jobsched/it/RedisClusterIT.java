package io.jobsched.it;

import io.jobsched.queue.QueueKeys;
import io.jobsched.store.Pools;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.jobsched.it.Checks.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One node on a three-master Redis Cluster ({@code redis.mode: cluster}, started with
 * {@code scripts/services.sh up redis-cluster}): the slice end to end, Redis losing the node's keys on every
 * master under running and pending runs, and a 10,000-run spike whose queue partitions (12, four per master)
 * are spread over all three masters. Shell tasks are capped at three at a time, so gated runs fill the worker
 * and later ones wait in the ready queues for certain.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {
  private static final int PARTITIONS = 12;
  private static final int SPIKE = 10_000;
  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";
  private static final Duration LONG = Duration.ofSeconds(60);

  private static TestNode node;
  private static ClusterMasters masters;
  private static Executions exec;

  @BeforeAll
  static void startClusterAndNode() throws Exception {
    Services.run("up", "redis-cluster");
    masters = new ClusterMasters(ClusterMasters.ports());
    exec = Executions.create("rcluster");
    node = TestNode.start("rcluster", conf -> {
      conf.getJsonObject("redis").put("mode", "cluster").put("endpoints", new JsonArray(ClusterMasters.endpoints()));
      conf.getJsonObject("queue").put("partitions", PARTITIONS);
      conf.getJsonObject("worker").getJsonObject("kind_capacity").put("shell", 3);
    });
  }

  @AfterAll
  static void stopNode() throws Exception {
    exec.all().forEach(e -> exec.open(e.jobId()));
    if (node != null) {
      node.close();
      masters.dropKeys(prefix());
    }
    masters.close();
  }

  private static String prefix() {
    return node.config().redis().prefix();
  }

  @Test
  @Order(1)
  void a_shell_job_runs_to_success_and_its_output_is_searchable() throws Exception {
    assertThat(masters.roles().values()).containsOnly("master").hasSize(3);
    TestNode.Reply created = node.post("/api/v1/jobs", "{\"id\":\"hello\",\"schedule\":{\"type\":\"once\"},"
        + "\"task\":{\"type\":\"shell\",\"command\":[\"/bin/sh\",\"-c\",\"echo hello cluster; echo oops >&2\"]}}");
    assertThat(created.status()).as(created.body().encode()).isEqualTo(201);
    await().atMost(LONG).until(() -> runsOf("hello").size() == 1
        && "SUCCESS".equals(runsOf("hello").get(0).getString("status")));
    String runId = runsOf("hello").get(0).getString("id");
    await().atMost(LONG).pollInterval(Duration.ofMillis(250)).until(() -> {
      JsonArray lines = node.get("/api/v1/runs/" + runId + "/logs").body().getJsonArray("lines");
      return lines != null && lines.size() == 2;
    });
    await().atMost(LONG).pollInterval(Duration.ofMillis(250)).until(() -> {
      JsonArray hits = node.get("/api/v1/logs/search?q=cluster&run_id=" + runId).body().getJsonArray("items");
      return hits != null && hits.size() == 1 && "hello cluster".equals(hits.getJsonObject(0).getString("line"));
    });
    // the overview reads queue depths across every partition, hence every master
    assertThat(node.get("/api/v1/overview").status()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void redis_losing_the_nodes_keys_on_every_master_loses_nothing_and_runs_nothing_twice() throws Exception {
    List<String> running = List.of("steady-1", "steady-2", "steady-3");
    List<String> pending = List.of("later-1", "later-2", "later-3");
    try (NodeRedis redis = new NodeRedis(node.config())) {
      Map<String, String> runIds = new HashMap<>();
      for (String id : running) {
        job(id, NEVER, Executions.GATED);
        runIds.put(id, trigger(id));
      }
      await().atMost(LONG).until(() -> all(running, id -> exec.running(runIds.get(id))));
      job("later-1", NEVER, "true");
      job("later-2", NEVER, "true");
      runIds.put("later-1", trigger("later-1"));
      runIds.put("later-2", trigger("later-2"));
      job("later-3", "{\"type\":\"at\",\"at\":\"" + Instant.now().plusSeconds(1) + "\"}", "true");
      await().atMost(LONG).until(() -> runsOf("later-3").size() == 1);
      runIds.put("later-3", runsOf("later-3").get(0).getString("id"));

      Map<String, String> tokens = new HashMap<>();
      Map<String, String> queues = new HashMap<>();
      await().atMost(LONG).until(() -> all(pending, id -> redis.queuedIn(id, "default", "shell", runIds.get(id)) != null)
          && all(running, id -> redis.leaseExpiry(id, runIds.get(id)) != null && redis.ownerToken(id, runIds.get(id)) != null));
      for (String id : pending) {
        queues.put(id, redis.queuedIn(id, "default", "shell", runIds.get(id)));
        assertThat(run(runIds.get(id)).getString("status")).as(id).isEqualTo("PENDING");
      }
      for (String id : running) {
        tokens.put(id, redis.ownerToken(id, runIds.get(id)));
      }
      List<String> wiped = redis.wipe();
      // as if every master had restarted empty: the Lua transitions must be loaded again on each of them
      masters.flushScripts();
      for (String id : pending) {
        assertThat(wiped).contains(queues.get(id));
      }
      for (String id : running) {
        assertThat(wiped).contains(redis.keysOf(id).leases(), redis.keysOf(id).owners());
      }
      Set<Integer> wipedOn = new TreeSet<>();
      for (String key : wiped) {
        wipedOn.add(masters.masterOf(key));
      }
      assertThat(wipedOn).as("masters the wiped keys lived on").hasSizeGreaterThan(1);

      // rebuilt from Postgres: pending runs queued again, running runs' leases back under their own tokens
      await().atMost(LONG).until(() -> all(pending, id -> redis.queuedIn(id, "default", "shell", runIds.get(id)) != null)
          && all(running, id -> redis.leaseExpiry(id, runIds.get(id)) != null
              && tokens.get(id).equals(redis.ownerToken(id, runIds.get(id)))));
      // the reaper sweeps every partition: its NOSCRIPT answers were healed on each master by sending the source there
      String expiredLeases = sha1("/lua/expiredLeases-2.lua");
      await().atMost(LONG).until(() -> !masters.scriptCached(expiredLeases).containsValue(false));
      for (String id : running) {
        assertThat(exec.ofJob(id)).as("%s was not started again", id).singleElement()
            .satisfies(e -> assertThat(e.alive()).isTrue());
      }
      running.forEach(exec::open);
      List<String> all = Stream.concat(running.stream(), pending.stream()).toList();
      for (String id : all) {
        await().atMost(LONG).until(() -> "SUCCESS".equals(run(runIds.get(id)).getString("status")));
      }
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> all(all,
          id -> runsOf(id).size() == 1 && exec.ofJob(id).size() == 1));
      for (String id : all) {
        assertThat(exec.ofJob(id)).as("%s executed once, to its end", id).singleElement()
            .satisfies(e -> assertThat(e.succeeded()).isTrue());
      }
    }
  }

  @Test
  @Order(3)
  void a_ten_thousand_run_spike_succeeds_exactly_once_with_the_partitions_spread_over_every_master() throws Exception {
    for (int chunk = 0; chunk < SPIKE / 1000; chunk++) {
      JsonArray jobs = new JsonArray();
      for (int i = chunk * 1000; i < (chunk + 1) * 1000; i++) {
        jobs.add(new JsonObject().put("id", "spike-" + i).put("schedule", new JsonObject().put("type", "once"))
            .put("task", new JsonObject().put("type", "noop")));
      }
      TestNode.Reply created = node.post("/api/v1/jobs/batch", new JsonObject().put("jobs", jobs).encode());
      assertThat(created.status()).as(created.body().encode()).isEqualTo(201);
    }
    Vertx vertx = Vertx.vertx();
    Pool pg = Pools.create(vertx, node.config().postgres());
    try {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> count(pg,
          "SELECT count(*) FROM runs WHERE job_id LIKE 'spike-%' AND status = 'SUCCESS'") == SPIKE);
      assertThat(count(pg, "SELECT count(*) FROM runs WHERE job_id LIKE 'spike-%'")).isEqualTo(SPIKE);
      assertThat(count(pg, "SELECT count(DISTINCT job_id) FROM runs WHERE job_id LIKE 'spike-%'")).isEqualTo(SPIKE);
    } finally {
      TestNode.await(vertx.close(), 10);
    }

    // every partition's keys share one hash tag, so one slot and one master; 12 partitions land on all three
    Map<Integer, TreeSet<Integer>> byMaster = masters.partitionsByMaster(prefix());
    Map<Integer, Set<Integer>> expected = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      QueueKeys keys = QueueKeys.of(prefix(), p, PARTITIONS, true);
      int master = masters.masterOf(keys.seq());
      assertThat(masters.masterOf(keys.leases())).isEqualTo(master);
      assertThat(masters.masterOf(keys.ready("default", "noop"))).isEqualTo(master);
      expected.computeIfAbsent(master, m -> new TreeSet<>()).add(p);
    }
    assertThat(expected.keySet()).as("masters owning a partition").containsExactlyInAnyOrderElementsOf(ClusterMasters.ports());
    // the cluster tags space the partitions evenly over the slots, and services.sh splits the slots evenly
    assertThat(expected.values()).as("partitions per master").allSatisfy(p -> assertThat(p).hasSize(PARTITIONS / 3));
    // the spike claimed in every partition (each keeps its token counter), each on the master that owns it
    assertThat(byMaster.values().stream().flatMap(Set::stream).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, PARTITIONS).boxed().toList());
    byMaster.forEach((master, partitions) ->
        assertThat(partitions).as("partitions on master %d", master).isNotEmpty().isEqualTo(expected.get(master)));
  }

  private static String sha1(String resource) throws Exception {
    try (var in = RedisClusterIT.class.getResourceAsStream(resource)) {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(in.readAllBytes()));
    }
  }

  private static long count(Pool pg, String sql) throws Exception {
    Row row = TestNode.await(pg.query(sql).execute(), 30).iterator().next();
    return row.getLong(0);
  }

  private static void job(String id, String schedule, String work) throws Exception {
    TestNode.Reply created = node.post("/api/v1/jobs", "{\"id\":\"" + id + "\",\"schedule\":" + schedule
        + ",\"task\":" + exec.taskJson(work) + "}");
    assertThat(created.status()).as(created.body().encode()).isEqualTo(201);
  }

  private static String trigger(String jobId) throws Exception {
    TestNode.Reply triggered = node.post("/api/v1/jobs/" + jobId + "/trigger", "");
    assertThat(triggered.status()).as(triggered.body().encode()).isEqualTo(202);
    return triggered.body().getString("id");
  }

  private static JsonObject run(String runId) throws Exception {
    return node.get("/api/v1/runs/" + runId).body();
  }

  private static List<JsonObject> runsOf(String jobId) throws Exception {
    JsonArray items = node.get("/api/v1/jobs/" + jobId + "/runs?limit=100").body().getJsonArray("items");
    return items == null ? List.of() : items.stream().map(o -> (JsonObject) o).toList();
  }
}
