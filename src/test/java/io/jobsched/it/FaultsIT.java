package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real crashes of real worker processes (separate JVMs from the shipped jar) beside a node that schedules,
 * reaps and serves the API but runs no tasks: SIGKILL mid-run, SIGSTOP past the lease, SIGTERM, and a
 * Redis FLUSHALL under running and pending runs. The test node's lease is 2 s, its reaper sweeps every 0.5 s.
 */
class FaultsIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("faults",
      conf -> conf.getJsonObject("node").put("roles", new JsonArray().add("api").add("scheduler").add("reaper").add("indexer")));

  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";

  private static String isolation() {
    return NODE.get().config().redis().prefix();
  }

  private static void noopJob(String id, String schedule, String duration) throws Exception {
    assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"" + id + "\",\"schedule\":" + schedule
        + ",\"task\":{\"type\":\"noop\",\"duration\":\"" + duration + "\"}}").status()).isEqualTo(201);
  }

  private static String trigger(String jobId) throws Exception {
    return NODE.get().post("/api/v1/jobs/" + jobId + "/trigger", "").body().getString("id");
  }

  private static JsonObject run(String runId) throws Exception {
    return NODE.get().get("/api/v1/runs/" + runId).body();
  }

  private static List<JsonObject> runsOf(String jobId) throws Exception {
    JsonArray items = NODE.get().get("/api/v1/jobs/" + jobId + "/runs").body().getJsonArray("items");
    return items.stream().map(o -> (JsonObject) o).sorted(Comparator.comparing(r -> r.getInteger("attempt"))).toList();
  }

  private static boolean runningOn(String runId, ExternalWorker worker) throws Exception {
    JsonObject r = run(runId);
    return "RUNNING".equals(r.getString("status")) && worker.id().equals(r.getString("worker"));
  }

  @Test
  void a_worker_killed_mid_run_loses_its_attempt_and_the_run_completes_once_on_another() throws Exception {
    noopJob("crashy", NEVER, "PT4S");
    String runId;
    try (ExternalWorker doomed = ExternalWorker.start(isolation(), "ext-kill")) {
      runId = trigger("crashy");
      await().atMost(Duration.ofSeconds(20)).until(() -> runningOn(runId, doomed));
      doomed.kill();
    }
    try (ExternalWorker survivor = ExternalWorker.start(isolation(), "ext-survivor")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> runsOf("crashy").size() == 2
          && "SUCCESS".equals(runsOf("crashy").get(1).getString("status")));
      List<JsonObject> runs = runsOf("crashy");
      assertThat(runs.get(0).getString("id")).isEqualTo(runId);
      assertThat(runs.get(0).getString("status")).isEqualTo("FAILED");
      assertThat(runs.get(0).getString("reason")).isEqualTo("lease_expired");
      assertThat(runs.get(0).getString("worker")).isEqualTo("ext-kill/worker-1");
      assertThat(runs.get(1).getString("trigger")).isEqualTo("retry");
      assertThat(runs.get(1).getString("worker")).isEqualTo(survivor.id());
      assertThat(runs.get(1).getJsonObject("context").getInteger("workers_lost")).isEqualTo(1);
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> runsOf("crashy").size() == 2);
    }
  }

  @Test
  void a_killed_workers_run_that_outlived_its_timeout_ends_timed_out_and_fires_its_handler_once() throws Exception {
    noopJob("pager", NEVER, "PT0S");
    assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"overdue\",\"schedule\":" + NEVER + ",\"timeout\":\"PT1.5S\","
        + "\"on_timeout\":{\"action\":\"handler\",\"handler_job_id\":\"pager\"},"
        + "\"task\":{\"type\":\"noop\",\"duration\":\"PT60S\"}}").status()).isEqualTo(201);
    String runId;
    try (ExternalWorker doomed = ExternalWorker.start(isolation(), "ext-overdue")) {
      runId = trigger("overdue");
      await().atMost(Duration.ofSeconds(20)).until(() -> runningOn(runId, doomed));
      doomed.kill();
    }
    // killed within a few hundred ms of starting, before its own 1.5 s timer; the 2 s lease then expires
    // past the timeout, so the reaper, not the worker, ends the run and applies on_timeout
    await().atMost(Duration.ofSeconds(20)).until(() -> "TIMED_OUT".equals(run(runId).getString("status")));
    assertThat(run(runId).getString("error")).as("decided by the reaper").contains("worker lost");
    await().atMost(Duration.ofSeconds(5)).until(() -> runsOf("pager").size() == 1);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> runsOf("pager").size() == 1);
    JsonObject handler = runsOf("pager").get(0);
    assertThat(handler.getString("trigger")).isEqualTo("timeout_handler");
    assertThat(handler.getJsonObject("context").getString("timed_out_run_id")).isEqualTo(runId);
    assertThat(runsOf("overdue")).as("on_timeout handler does not retry").hasSize(1);
  }

  @Test
  void a_worker_paused_past_its_lease_cannot_record_its_late_result() throws Exception {
    noopJob("sleepy", NEVER, "PT3S");
    try (ExternalWorker paused = ExternalWorker.start(isolation(), "ext-pause")) {
      String runId = trigger("sleepy");
      await().atMost(Duration.ofSeconds(20)).until(() -> runningOn(runId, paused));
      paused.pause();
      try (ExternalWorker other = ExternalWorker.start(isolation(), "ext-other")) {
        await().atMost(Duration.ofSeconds(30)).until(() -> runsOf("sleepy").size() == 2
            && "SUCCESS".equals(runsOf("sleepy").get(1).getString("status")));
        assertThat(runsOf("sleepy").get(1).getString("worker")).isEqualTo(other.id());
        // the task's 3 s are long over: on waking, the paused worker tries to finish and must be refused
        paused.resume();
        await().atMost(Duration.ofSeconds(15)).until(() -> paused.output().contains("lost its lease")
            || paused.output().contains("was fenced"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> runsOf("sleepy").size() == 2);
        List<JsonObject> runs = runsOf("sleepy");
        assertThat(runs.get(0).getString("status")).as("the late result did not overwrite the reaper's").isEqualTo("FAILED");
        assertThat(runs.get(0).getString("reason")).isEqualTo("lease_expired");
        assertThat(runs).filteredOn(r -> "SUCCESS".equals(r.getString("status"))).hasSize(1);
      }
    }
  }

  @Test
  void sigterm_finishes_short_runs_and_hands_long_ones_back_to_another_worker() throws Exception {
    noopJob("quick", NEVER, "PT1S");
    noopJob("long", NEVER, "PT8S");
    String quick;
    String longRun;
    try (ExternalWorker leaving = ExternalWorker.start(isolation(), "ext-leaving")) {
      longRun = trigger("long");
      quick = trigger("quick");
      await().atMost(Duration.ofSeconds(20)).until(() -> runningOn(longRun, leaving) && runningOn(quick, leaving));
      // drain_ms is 2 s here: the quick run finishes, the long one is handed back
      assertThat(leaving.terminate(Duration.ofSeconds(20))).as("a requested stop exits 0").isZero();
    }
    assertThat(run(quick).getString("status")).isEqualTo("SUCCESS");
    assertThat(run(longRun).getString("status")).isEqualTo("PENDING");
    assertThat(run(longRun).getString("worker")).isNull();
    try (ExternalWorker next = ExternalWorker.start(isolation(), "ext-next")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCESS".equals(run(longRun).getString("status")));
      assertThat(run(longRun).getString("worker")).isEqualTo(next.id());
      assertThat(runsOf("long")).as("a hand-back is the same attempt, not a retry").hasSize(1);
    }
  }

  @Test
  void a_task_that_kills_every_worker_it_lands_on_ends_failed_after_three_lost_workers() throws Exception {
    assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"poison\",\"schedule\":" + NEVER + ",\"task\":"
        + "{\"type\":\"shell\",\"command\":[\"/bin/sh\",\"-c\",\"kill -9 $PPID\"]}}").status()).isEqualTo(201);
    trigger("poison");
    int workers = 0;
    while (runsOf("poison").stream().noneMatch(r -> "FAILED".equals(r.getString("status")) && r.getInteger("attempt") == 4)) {
      assertThat(workers++).as("workers started").isLessThan(6);
      try (ExternalWorker victim = ExternalWorker.start(isolation(), "ext-victim-" + workers)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !victim.isAlive());
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> runsOf("poison").stream().noneMatch(r -> "RUNNING".equals(r.getString("status"))));
    }
    try (ExternalWorker last = ExternalWorker.start(isolation(), "ext-last")) {
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> runsOf("poison").size() == 4);
      assertThat(last.isAlive()).as("no fifth attempt was handed to a worker").isTrue();
    }
    assertThat(runsOf("poison")).extracting(r -> r.getString("reason"))
        .containsOnly("lease_expired");
  }

  @Test
  void redis_flushall_under_running_and_pending_runs_loses_nothing_and_runs_nothing_twice() throws Exception {
    try (ExternalWorker worker = ExternalWorker.start(isolation(), "ext-flush")) {
      List<String> running = List.of("steady-1", "steady-2", "steady-3");
      for (String id : running) {
        noopJob(id, NEVER, "PT5S");
        String runId = trigger(id);
        await().atMost(Duration.ofSeconds(20)).until(() -> runningOn(runId, worker));
      }
      // due in a few seconds: promoted into Redis (2 s look-ahead) before the flush, run after it
      String at = "{\"type\":\"at\",\"at\":\"" + Instant.now().plusSeconds(4) + "\"}";
      List<String> pending = List.of("later-1", "later-2", "later-3");
      for (String id : pending) {
        noopJob(id, at, "PT0S");
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> pending.stream().allMatch(id -> {
        try {
          return runsOf(id).size() == 1;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
      flushAll();
      for (String id : concat(running, pending)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> runsOf(id).stream().anyMatch(r -> "SUCCESS".equals(r.getString("status"))));
      }
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> {
        for (String id : concat(running, pending)) {
          if (runsOf(id).size() != 1) {
            return false;
          }
        }
        return true;
      });
      // the leases came back through the worker's heartbeat or the reaper, whichever ran first: the
      // running tasks were not abandoned, each finished as its first and only attempt
      for (String id : running) {
        assertThat(runsOf(id)).singleElement().satisfies(r -> {
          assertThat(r.getString("status")).isEqualTo("SUCCESS");
          assertThat(r.getString("worker")).isEqualTo(worker.id());
        });
      }
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  /** The real thing: every test class runs alone in this JVM, so only this test's keys are live. */
  private static void flushAll() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(NODE.get().config().redis().url()));
      TestNode.await(redis.send(Request.cmd(Command.FLUSHALL)), 10);
    } finally {
      TestNode.await(vertx.close(), 10);
    }
  }
}
