package io.jobsched.it;

import io.jobsched.it.Executions.Execution;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.jobsched.it.Checks.all;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real crashes of real worker processes (separate JVMs from the shipped jar) beside a node that schedules,
 * reaps and serves the API but runs no tasks: SIGKILL mid-run, SIGSTOP past the lease, SIGTERM, a task that
 * kills its worker, and Redis losing the node's keys under running and pending runs. The test node's lease
 * is 2 s, its reaper sweeps every 0.5 s.
 *
 * <p>Exactly-once is counted by executions ({@link Executions}): every task records its start and its end,
 * and the tasks that must still be running when the fault hits are gated, so they are running by
 * construction, not because the machine happened to be fast. A fire's task ends exactly once; an execution
 * killed with its worker (or stopped because its worker lost the run) is a start without an end.
 */
class FaultsIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("faults",
      conf -> conf.getJsonObject("node").put("roles", new JsonArray().add("api").add("scheduler").add("reaper").add("indexer")));

  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";
  private static final Duration LONG = Duration.ofSeconds(60);

  private static Executions exec;

  @BeforeAll
  static void executions() {
    exec = Executions.create("faults");
  }

  @AfterAll
  static void openEveryGate() {
    // nothing gated may outlive the class (workers kill their tasks on close; this covers the rest)
    exec.all().forEach(e -> exec.open(e.jobId()));
  }

  private static String isolation() {
    return NODE.get().config().redis().prefix();
  }

  private static void job(String id, String schedule, String work, String extra) throws Exception {
    TestNode.Reply created = NODE.get().post("/api/v1/jobs", "{\"id\":\"" + id + "\",\"schedule\":" + schedule
        + ",\"task\":" + exec.taskJson(work) + extra + "}");
    assertThat(created.status()).as(created.body().encode()).isEqualTo(201);
  }

  private static String trigger(String jobId) throws Exception {
    TestNode.Reply triggered = NODE.get().post("/api/v1/jobs/" + jobId + "/trigger", "");
    assertThat(triggered.status()).as(triggered.body().encode()).isEqualTo(202);
    return triggered.body().getString("id");
  }

  private static JsonObject run(String runId) throws Exception {
    return NODE.get().get("/api/v1/runs/" + runId).body();
  }

  private static List<JsonObject> runsOf(String jobId) throws Exception {
    JsonArray items = NODE.get().get("/api/v1/jobs/" + jobId + "/runs?limit=100").body().getJsonArray("items");
    return items.stream().map(o -> (JsonObject) o).sorted(Comparator.comparing(r -> r.getInteger("attempt"))).toList();
  }

  private static boolean runningOn(String runId, ExternalWorker worker) throws Exception {
    JsonObject r = run(runId);
    return "RUNNING".equals(r.getString("status")) && worker.id().equals(r.getString("worker"));
  }

  /** The run is RUNNING on that worker in Postgres and its task is executing there right now. */
  private static boolean executingOn(String runId, ExternalWorker worker) throws Exception {
    return runningOn(runId, worker) && exec.running(runId);
  }

  /** The one execution of this run that has not ended (the run is executing, or its execution was killed). */
  private static Execution unended(String runId) {
    List<Execution> open = exec.ofRun(runId).stream().filter(e -> !e.ended()).toList();
    assertThat(open).as("unended executions of run " + runId).hasSize(1);
    return open.get(0);
  }

  /** Executions of the job grouped by fire, each fire's list in start order. */
  private static Map<String, List<Execution>> byFire(String jobId) {
    return exec.ofJob(jobId).stream().collect(Collectors.groupingBy(Execution::scheduledFor));
  }

  private static void awaitDead(Execution e) {
    await().atMost(Duration.ofSeconds(15)).until(() -> !e.alive());
  }

  @Test
  void a_worker_killed_mid_run_loses_its_attempt_and_the_run_completes_once_on_another() throws Exception {
    job("crashy", NEVER, Executions.GATED, "");
    String runId;
    Execution killed;
    try (ExternalWorker doomed = ExternalWorker.start(isolation(), "ext-kill")) {
      runId = trigger("crashy");
      await().atMost(LONG).until(() -> executingOn(runId, doomed));
      killed = unended(runId);
      doomed.kill();
    }
    awaitDead(killed);
    try (ExternalWorker survivor = ExternalWorker.start(isolation(), "ext-survivor")) {
      await().atMost(LONG).until(() -> runsOf("crashy").size() == 2
          && executingOn(runsOf("crashy").get(1).getString("id"), survivor));
      exec.open("crashy");
      await().atMost(LONG).until(() -> "SUCCESS".equals(runsOf("crashy").get(1).getString("status")));
      List<JsonObject> runs = runsOf("crashy");
      assertThat(runs.get(0).getString("id")).isEqualTo(runId);
      assertThat(runs.get(0).getString("status")).isEqualTo("FAILED");
      assertThat(runs.get(0).getString("reason")).isEqualTo("lease_expired");
      assertThat(runs.get(0).getString("worker")).isEqualTo("ext-kill/worker-1");
      assertThat(runs.get(1).getString("trigger")).isEqualTo("retry");
      assertThat(runs.get(1).getString("worker")).isEqualTo(survivor.id());
      assertThat(runs.get(1).getJsonObject("context").getInteger("workers_lost")).isEqualTo(1);
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> runsOf("crashy").size() == 2
          && exec.ofJob("crashy").size() == 2);
    }
    // one fire, two executions: the killed one never ended, the second ended once, successfully
    String retryId = runsOf("crashy").get(1).getString("id");
    assertThat(byFire("crashy").values()).singleElement().satisfies(executions -> {
      assertThat(executions).extracting(Execution::runId).containsExactly(runId, retryId);
      assertThat(executions.get(0).ended()).as("the killed execution").isFalse();
      assertThat(executions.get(1).succeeded()).isTrue();
    });
  }

  @Test
  void a_killed_workers_run_that_outlived_its_timeout_ends_timed_out_and_fires_its_handler_once() throws Exception {
    job("pager", NEVER, "true", "");
    // The task freezes its worker (SIGSTOP to its parent JVM) once it is written RUNNING (after 250 ms): from
    // that instant the worker's own 3 s timer cannot fire, so the outcome is the reaper's by construction, not
    // by a race with the kill. The worker's lease is 10 s, far past the timeout: when it expires the run is overdue.
    job("overdue", NEVER, "sleep 1; kill -STOP $PPID; " + Executions.GATED,
        ",\"timeout\":\"PT3S\",\"on_timeout\":{\"action\":\"handler\",\"handler_job_id\":\"pager\"}");
    String runId;
    Execution killed;
    try (ExternalWorker doomed = ExternalWorker.start(isolation(), "ext-overdue",
        conf -> conf.getJsonObject("worker").put("lease_ms", 10_000))) {
      runId = trigger("overdue");
      await().atMost(LONG).until(() -> executingOn(runId, doomed));
      killed = unended(runId);
      doomed.kill();
    }
    awaitDead(killed);
    await().atMost(LONG).until(() -> "TIMED_OUT".equals(run(runId).getString("status")));
    assertThat(run(runId).getString("error")).as("decided by the reaper").contains("worker lost");
    await().atMost(LONG).until(() -> runsOf("pager").size() == 1);
    try (ExternalWorker survivor = ExternalWorker.start(isolation(), "ext-after-overdue")) {
      await().atMost(LONG).until(() -> "SUCCESS".equals(runsOf("pager").get(0).getString("status")));
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> runsOf("pager").size() == 1
          && exec.ofJob("pager").size() == 1);
      assertThat(survivor.isAlive()).isTrue();
    }
    JsonObject handler = runsOf("pager").get(0);
    assertThat(handler.getString("trigger")).isEqualTo("timeout_handler");
    assertThat(handler.getJsonObject("context").getString("timed_out_run_id")).isEqualTo(runId);
    assertThat(runsOf("overdue")).as("on_timeout handler does not retry").hasSize(1);
    assertThat(exec.ofJob("pager")).as("the handler executed once").singleElement()
        .satisfies(e -> assertThat(e.succeeded()).isTrue());
    assertThat(exec.ofJob("overdue")).as("the overdue task executed once and was killed with its worker")
        .singleElement().satisfies(e -> assertThat(e.ended()).isFalse());
  }

  @Test
  void a_worker_paused_past_its_lease_stops_its_task_on_waking_and_cannot_record_a_result() throws Exception {
    job("sleepy", NEVER, Executions.GATED, "");
    try (ExternalWorker paused = ExternalWorker.start(isolation(), "ext-pause")) {
      String runId = trigger("sleepy");
      await().atMost(LONG).until(() -> executingOn(runId, paused));
      Execution stale = unended(runId);
      paused.pause();
      try (ExternalWorker other = ExternalWorker.start(isolation(), "ext-other")) {
        await().atMost(LONG).until(() -> runsOf("sleepy").size() == 2
            && executingOn(runsOf("sleepy").get(1).getString("id"), other));
        String retryId = runsOf("sleepy").get(1).getString("id");
        assertThat(stale.alive()).as("a paused JVM's task runs on: two executions of one fire at once").isTrue();
        exec.open(retryId);
        await().atMost(LONG).until(() -> "SUCCESS".equals(run(retryId).getString("status")));
        // on waking, the paused worker's heartbeat finds its lease taken: it must stop the task, drop its result
        paused.resume();
        await().atMost(LONG).until(() -> paused.output().contains("run " + runId + " lost its lease"));
        awaitDead(stale);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> runsOf("sleepy").size() == 2);
        List<JsonObject> runs = runsOf("sleepy");
        assertThat(runs.get(0).getString("status")).as("the stale worker did not overwrite the reaper's result").isEqualTo("FAILED");
        assertThat(runs.get(0).getString("reason")).isEqualTo("lease_expired");
        assertThat(runs.get(1).getString("worker")).isEqualTo(other.id());
        assertThat(runs).filteredOn(r -> "SUCCESS".equals(r.getString("status"))).hasSize(1);
      }
      assertThat(exec.ofRun(runId)).as("the stale execution never ended").singleElement()
          .satisfies(e -> assertThat(e.ended()).isFalse());
      assertThat(exec.ofJob("sleepy")).filteredOn(Execution::ended).as("the fire's one completion")
          .singleElement().satisfies(e -> assertThat(e.attempt()).isEqualTo(2));
    }
  }

  @Test
  void sigterm_finishes_short_runs_and_hands_long_ones_back_to_another_worker() throws Exception {
    job("quick", NEVER, Executions.GATED, "");
    job("long", NEVER, Executions.GATED, "");
    String quick;
    String longRun;
    Execution handedBack;
    // drain_ms 5 s: the quick run, let go right after the SIGTERM, finishes within it; the long one never
    // finishes by itself (its gate stays shut), so it is handed back whatever the machine's speed
    try (ExternalWorker leaving = ExternalWorker.start(isolation(), "ext-leaving",
        conf -> conf.getJsonObject("worker").put("drain_ms", 5000))) {
      longRun = trigger("long");
      quick = trigger("quick");
      await().atMost(LONG).until(() -> executingOn(longRun, leaving) && executingOn(quick, leaving));
      handedBack = unended(longRun);
      leaving.sigterm();
      exec.open(quick);
      assertThat(leaving.awaitExit(LONG)).as("a requested stop exits 0").isZero();
    }
    assertThat(run(quick).getString("status")).isEqualTo("SUCCESS");
    assertThat(run(longRun).getString("status")).isEqualTo("PENDING");
    assertThat(run(longRun).getString("worker")).isNull();
    awaitDead(handedBack);
    assertThat(handedBack.ended()).as("the handed-back execution was stopped, not completed").isFalse();
    try (ExternalWorker next = ExternalWorker.start(isolation(), "ext-next")) {
      await().atMost(LONG).until(() -> executingOn(longRun, next));
      exec.open(longRun);
      await().atMost(LONG).until(() -> "SUCCESS".equals(run(longRun).getString("status")));
      assertThat(run(longRun).getString("worker")).isEqualTo(next.id());
      assertThat(runsOf("long")).as("a hand-back is the same attempt, not a retry").hasSize(1);
    }
    assertThat(exec.ofJob("quick")).singleElement().satisfies(e -> assertThat(e.succeeded()).isTrue());
    List<Execution> longExecutions = exec.ofJob("long");
    assertThat(longExecutions).as("the same run, executed twice: stopped on the leaving worker, completed on the next")
        .extracting(Execution::runId, Execution::attempt, Execution::ended)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(longRun, 1, false), org.assertj.core.groups.Tuple.tuple(longRun, 1, true));
    assertThat(longExecutions.get(1).succeeded()).isTrue();
  }

  private static long failedRuns(String jobId) throws Exception {
    return runsOf(jobId).stream().filter(r -> "FAILED".equals(r.getString("status"))).count();
  }

  @Test
  void a_task_that_kills_every_worker_it_lands_on_ends_failed_after_three_lost_workers() throws Exception {
    // the task kills its worker and itself at once, as a control-group kill would
    job("poison", NEVER, "kill -9 $PPID $$", "");
    trigger("poison");
    int workers = 0;
    while (runsOf("poison").stream().noneMatch(r -> "FAILED".equals(r.getString("status")) && r.getInteger("attempt") == 4)) {
      assertThat(workers++).as("workers started").isLessThan(6);
      long failed = failedRuns("poison");
      try (ExternalWorker victim = ExternalWorker.start(isolation(), "ext-victim-" + workers)) {
        await().atMost(LONG).until(() -> !victim.isAlive());
      }
      // the reaper ends the attempt the victim took with it (a task that dies at once is never written RUNNING)
      await().atMost(LONG).until(() -> failedRuns("poison") > failed);
    }
    try (ExternalWorker last = ExternalWorker.start(isolation(), "ext-last")) {
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> runsOf("poison").size() == 4);
      assertThat(last.isAlive()).as("no fifth attempt was handed to a worker").isTrue();
    }
    List<JsonObject> runs = runsOf("poison");
    assertThat(runs).extracting(r -> r.getString("reason")).containsOnly("lease_expired");
    assertThat(exec.ofJob("poison")).as("one execution per attempt, none ended, no fifth")
        .extracting(Execution::runId).containsExactlyElementsOf(runs.stream().map(r -> r.getString("id")).toList());
    assertThat(exec.ofJob("poison")).noneMatch(Execution::ended);
  }

  @Test
  void a_worker_paused_past_the_lease_of_a_run_it_held_does_not_start_it_on_waking() throws Exception {
    job("early", "{\"type\":\"at\",\"at\":\"" + Instant.now().plusSeconds(6) + "\"}", "true", "");
    try (ExternalWorker sleeper = ExternalWorker.start(isolation(), "ext-sleeper");
         NodeRedis redis = new NodeRedis(NODE.get().config())) {
      // promoted ahead of its instant and claimed ahead too: held by the only worker, not started yet
      await().atMost(LONG).until(() -> runsOf("early").size() == 1);
      String runId = runsOf("early").get(0).getString("id");
      await().atMost(LONG).until(() -> redis.leaseExpiry("early", runId) != null);
      sleeper.pause();
      assertThat(exec.ofJob("early")).as("frozen before its instant").isEmpty();
      try (ExternalWorker other = ExternalWorker.start(isolation(), "ext-other")) {
        await().atMost(LONG).until(() -> runsOf("early").size() == 2
            && "SUCCESS".equals(runsOf("early").get(1).getString("status")));
        assertThat(runsOf("early").get(0).getString("reason")).isEqualTo("lease_expired");
        assertThat(runsOf("early").get(1).getString("worker")).isEqualTo(other.id());
        sleeper.resume();
        // awake, it drops the run: at its instant ("after its lease had lapsed") or by its heartbeat ("lost its
        // lease"), whichever of the two overdue timers fires first
        await().atMost(LONG).until(() -> sleeper.output().contains("run " + runId + " came to its instant after its lease had lapsed")
            || sleeper.output().contains("run " + runId + " lost its lease"));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
            .until(() -> exec.ofJob("early").size() == 1 && runsOf("early").size() == 2);
      }
    }
  }

  @Test
  void a_result_that_waits_for_postgres_longer_than_the_lease_is_recorded_and_the_work_not_run_again() throws Exception {
    job("patient", NEVER, Executions.GATED, "");
    try (ExternalWorker worker = ExternalWorker.start(isolation(), "ext-patient");
         NodeRedis redis = new NodeRedis(NODE.get().config())) {
      String runId = trigger("patient");
      await().atMost(LONG).until(() -> executingOn(runId, worker));
      Services.run("down", "postgres");
      try {
        exec.open("patient");
        await().atMost(LONG).until(() -> exec.ofRun(runId).stream().allMatch(Execution::succeeded));
        // the result cannot be written; three 2 s leases later the worker still holds the run
        await().pollDelay(Duration.ofSeconds(6)).atMost(LONG).until(() -> worker.output().contains("recording SUCCESS failed"));
        // Redis' clock is this machine's: the lease is extended, not merely left behind by a reaper that cannot act
        assertThat(Double.parseDouble(redis.leaseExpiry("patient", runId))).as("the lease of a run whose result waits")
            .isGreaterThan(System.currentTimeMillis());
      } finally {
        Services.run("up", "postgres");
      }
      await().atMost(LONG).until(() -> "SUCCESS".equals(run(runId).getString("status")));
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15))
          .until(() -> runsOf("patient").size() == 1 && exec.ofJob("patient").size() == 1);
      assertThat(run(runId).getString("worker")).isEqualTo(worker.id());
    }
  }

  @Test
  void redis_losing_the_nodes_keys_under_running_and_pending_runs_loses_nothing_and_runs_nothing_twice() throws Exception {
    List<String> running = List.of("steady-1", "steady-2", "steady-3");
    List<String> pending = List.of("later-1", "later-2", "later-3");
    // capacity 3: the three gated runs fill the worker, so the later runs stay PENDING in the ready queues
    // (for certain, not for as long as a timer lasts) until the gates open
    try (ExternalWorker worker = ExternalWorker.start(isolation(), "ext-flush",
        conf -> conf.getJsonObject("worker").put("capacity", new JsonObject().put("default", 3)));
         NodeRedis redis = new NodeRedis(NODE.get().config())) {
      Map<String, String> runIds = new HashMap<>();
      for (String id : running) {
        job(id, NEVER, Executions.GATED, "");
        runIds.put(id, trigger(id));
      }
      await().atMost(LONG).until(() -> all(running, id -> executingOn(runIds.get(id), worker)));
      job("later-1", NEVER, "true", "");
      job("later-2", NEVER, "true", "");
      runIds.put("later-1", trigger("later-1"));
      runIds.put("later-2", trigger("later-2"));
      // one promoted by the scheduler rather than triggered
      job("later-3", "{\"type\":\"at\",\"at\":\"" + Instant.now().plusSeconds(1) + "\"}", "true", "");
      await().atMost(LONG).until(() -> runsOf("later-3").size() == 1);
      runIds.put("later-3", runsOf("later-3").get(0).getString("id"));

      // the state the wipe must hit is live in Redis: queued pending runs, leased and owned running ones
      Map<String, String> tokens = new HashMap<>();
      Map<String, String> queues = new HashMap<>();
      await().atMost(LONG).until(() -> all(pending, id -> redis.queuedIn(id, "default", "shell", runIds.get(id)) != null)
          && all(running, id -> redis.leaseExpiry(id, runIds.get(id)) != null && redis.ownerToken(id, runIds.get(id)) != null));
      for (String id : pending) {
        queues.put(id, redis.queuedIn(id, "default", "shell", runIds.get(id)));
      }
      for (String id : running) {
        tokens.put(id, redis.ownerToken(id, runIds.get(id)));
      }
      for (String id : pending) {
        assertThat(run(runIds.get(id)).getString("status")).as(id).isEqualTo("PENDING");
      }
      List<String> wiped = redis.wipe();
      for (String id : pending) {
        assertThat(wiped).contains(queues.get(id));
      }
      for (String id : running) {
        assertThat(wiped).contains(redis.keysOf(id).leases(), redis.keysOf(id).owners());
      }

      // rebuilt from Postgres: pending runs queued again, running runs' leases back under their own tokens
      await().atMost(LONG).until(() -> all(pending, id -> redis.queuedIn(id, "default", "shell", runIds.get(id)) != null)
          && all(running, id -> redis.leaseExpiry(id, runIds.get(id)) != null
              && tokens.get(id).equals(redis.ownerToken(id, runIds.get(id)))));
      for (String id : running) {
        assertThat(exec.ofJob(id)).as("%s was not started again", id).singleElement()
            .satisfies(e -> assertThat(e.alive()).isTrue());
      }
      running.forEach(exec::open);
      for (String id : concat(running, pending)) {
        await().atMost(LONG).until(() -> "SUCCESS".equals(run(runIds.get(id)).getString("status")));
      }
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> all(concat(running, pending),
          id -> runsOf(id).size() == 1 && exec.ofJob(id).size() == 1));
      for (String id : running) {
        assertThat(runsOf(id)).singleElement().satisfies(r -> assertThat(r.getString("worker")).isEqualTo(worker.id()));
      }
      for (String id : concat(running, pending)) {
        assertThat(exec.ofJob(id)).as("%s executed once, to its end", id).singleElement()
            .satisfies(e -> assertThat(e.succeeded()).isTrue());
      }
    }
  }


  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }
}
