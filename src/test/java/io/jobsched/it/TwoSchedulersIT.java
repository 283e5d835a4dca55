package io.jobsched.it;

import io.jobsched.config.JobschedConfig;
import io.jobsched.store.Pools;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Guarantee 1 under contention: two schedulers that each believe they own every shard (clustering off,
 * so no split) promote the same per-second jobs at once. Every fire must exist exactly once, no gaps.
 */
class TwoSchedulersIT {
  private static final int JOBS = 40;

  @Test
  void two_schedulers_promoting_the_same_shards_create_each_fire_once() throws Exception {
    // clustering off: each node believes it owns every shard, so both promote the same jobs at once
    twoNodes(false);
  }

  @Test
  void two_clustered_nodes_split_the_shards_and_share_the_work_without_duplicates() throws Exception {
    Set<String> workers = twoNodes(true);
    assertThat(workers).as("both nodes' workers ran runs").hasSize(2);
  }

  @Test
  void shards_are_split_among_the_members_that_run_a_scheduler_only() throws Exception {
    String isolation = TestNode.newIsolation("twosched");
    TestNode.createDatabase(JobschedConfig.from(TestNode.isolatedConfig(isolation)).postgres(), isolation);
    try (TestNode scheduler = TestNode.startIn(isolation, conf -> { });
         TestNode workerOnly = TestNode.startIn(isolation,
             conf -> conf.getJsonObject("node").put("roles", new JsonArray().add("worker")))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.node().clusterMembers().size() == 2
          && workerOnly.node().clusterMembers().size() == 2);
      // about half of 40 jobs' shards would belong to the worker-only member if it were counted
      JsonArray jobs = new JsonArray();
      for (int i = 0; i < JOBS; i++) {
        jobs.add(new JsonObject("{\"id\":\"once-" + i + "\",\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"}}"));
      }
      assertThat(scheduler.post("/api/v1/jobs/batch", new JsonObject().put("jobs", jobs).encode()).status()).isEqualTo(201);
      await().alias("every job ran").atMost(Duration.ofSeconds(60)).until(() -> {
        for (int i = 0; i < JOBS; i++) {
          JsonArray runs = scheduler.get("/api/v1/jobs/once-" + i + "/runs").body().getJsonArray("items");
          if (runs.size() != 1 || !"SUCCESS".equals(runs.getJsonObject(0).getString("status"))) {
            return false;
          }
        }
        return true;
      });
    }
  }

  /** Runs the scenario on two nodes; resolves to the workers that ran runs. */
  private Set<String> twoNodes(boolean clustered) throws Exception {
    String isolation = TestNode.newIsolation("twosched");
    JsonObject base = TestNode.isolatedConfig(isolation);
    TestNode.createDatabase(JobschedConfig.from(base).postgres(), isolation);
    TestNode a = TestNode.startIn(isolation, conf -> conf.getJsonObject("cluster").put("enabled", clustered));
    TestNode b = TestNode.startIn(isolation, conf -> conf.getJsonObject("cluster").put("enabled", clustered));
    if (clustered) {
      await().atMost(Duration.ofSeconds(30)).until(() -> a.node().clusterMembers().size() == 2
          && b.node().clusterMembers().size() == 2);
    }
    Vertx vertx = Vertx.vertx();
    Pool pg = Pools.create(vertx, JobschedConfig.from(base).postgres());
    try {
      JsonArray jobs = new JsonArray();
      for (int i = 0; i < JOBS; i++) {
        jobs.add(new JsonObject("{\"id\":\"tick-" + i + "\",\"schedule\":{\"type\":\"every\",\"interval\":\"PT1S\"},"
            + "\"task\":{\"type\":\"noop\"}}"));
      }
      assertThat(a.post("/api/v1/jobs/batch", new JsonObject().put("jobs", jobs).encode()).status()).isEqualTo(201);
      await().atMost(Duration.ofSeconds(60)).until(() -> await(pg.query(
          "SELECT count(*) FROM runs WHERE status = 'SUCCESS'").execute(), 10).iterator().next().getLong(0) >= JOBS * 5L);
      // freeze the picture: pause everything, then judge the runs table
      for (int i = 0; i < JOBS; i++) {
        a.post("/api/v1/jobs/tick-" + i + "/pause", "");
      }
      Map<String, List<OffsetDateTime>> fires = new HashMap<>();
      for (Row r : await(pg.query("SELECT job_id, scheduled_for FROM runs WHERE attempt = 1 "
          + "ORDER BY job_id, scheduled_for").execute(), 10)) {
        fires.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getOffsetDateTime(1));
      }
      assertThat(fires).hasSize(JOBS);
      fires.forEach((job, times) -> {
        assertThat(times.size()).as(job).isGreaterThanOrEqualTo(5);
        for (int i = 1; i < times.size(); i++) {
          assertThat(Duration.between(times.get(i - 1), times.get(i))).as(job + " fire " + i)
              .isEqualTo(Duration.ofSeconds(1));
        }
      });
      long executedTwice = await(pg.query("SELECT count(*) FROM (SELECT job_id, scheduled_for FROM runs "
          + "GROUP BY job_id, scheduled_for HAVING count(*) > 1) d").execute(), 10).iterator().next().getLong(0);
      assertThat(executedTwice).isZero();
      Set<String> workers = new HashSet<>();
      await(pg.query("SELECT DISTINCT worker FROM runs WHERE worker IS NOT NULL").execute(), 10)
          .forEach(r -> workers.add(r.getString(0)));
      return workers;
    } finally {
      await(vertx.close(), 10);
      a.close();
      b.close();
    }
  }
}
