package io.jobsched.it;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workers claim runs ahead of their instant and hold them (up to a minute ahead while a spike is coming).
 * A change to the job meanwhile must still count: a held run of a replaced job starts with the new
 * definition, and a held run of a deleted job never starts. Counted by executions of event-bus tasks.
 */
class HeldRunsIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("held", conf -> {
    conf.getJsonObject("scheduler").put("look_ahead_ms", 30_000);
    conf.getJsonObject("worker").put("preclaim_ms", 30_000);
  });

  private static final AtomicInteger OLD = new AtomicInteger();
  private static final AtomicInteger NEW = new AtomicInteger();
  private static MessageConsumer<Object> oldTask;
  private static MessageConsumer<Object> newTask;
  private static RunRowsFixture rows;
  private static NodeRedis redis;

  @BeforeAll
  static void consumers() throws Exception {
    var bus = NODE.get().node().vertx().eventBus();
    oldTask = bus.consumer("it.held.old", msg -> {
      OLD.incrementAndGet();
      msg.reply("old");
    });
    newTask = bus.consumer("it.held.new", msg -> {
      NEW.incrementAndGet();
      msg.reply("new");
    });
    await(oldTask.completion(), 10);
    await(newTask.completion(), 10);
    rows = new RunRowsFixture(NODE.get());
    redis = new NodeRedis(NODE.get().config());
  }

  @AfterAll
  static void close() throws Exception {
    await(oldTask.unregister(), 10);
    await(newTask.unregister(), 10);
    rows.close();
    redis.close();
  }

  @Test
  void a_held_run_of_a_replaced_job_starts_with_the_new_definition() throws Exception {
    // far enough ahead that a slow machine still changes the job before the instant (held well before it)
    Instant at = Instant.now().plusSeconds(15);
    assertThat(NODE.get().put("/api/v1/jobs/edited", job("edited", at, "it.held.old"), null).status()).isEqualTo(201);
    String runId = awaitHeld("edited");

    assertThat(NODE.get().put("/api/v1/jobs/edited", job("edited", at, "it.held.new"), null).status()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(40)).until(() -> rows.count("SELECT count(*) FROM runs WHERE job_id = 'edited' "
        + "AND status = 'SUCCESS'") == 1);
    assertThat(rows.count("SELECT count(*) FROM runs WHERE job_id = 'edited'")).as("the same run, once").isEqualTo(1);
    assertThat(rows.count("SELECT count(*) FROM runs WHERE id = '" + runId + "'::uuid AND status = 'SUCCESS'")).isEqualTo(1);
    assertThat(NEW.get()).as("executions of the new definition").isEqualTo(1);
    assertThat(OLD.get()).as("executions of the definition replaced while the run was held").isZero();
  }

  @Test
  void a_held_run_of_a_deleted_job_never_starts() throws Exception {
    Instant at = Instant.now().plusSeconds(15);
    assertThat(NODE.get().put("/api/v1/jobs/gone", job("gone", at, "it.held.old"), null).status()).isEqualTo(201);
    String runId = awaitHeld("gone");
    int before = OLD.get();

    assertThat(NODE.get().delete("/api/v1/jobs/gone").status()).isEqualTo(204);

    // past its instant, nothing holds the run any more, and it did not execute
    await().atMost(Duration.ofSeconds(40)).until(() -> Instant.now().isAfter(at.plusSeconds(2))
        && redis.leaseExpiry("gone", runId) == null);
    assertThat(OLD.get() - before).as("executions of the deleted job's held run").isZero();
  }

  /** Waits until a worker holds the job's one run (claimed, its instant still ahead); returns its id. */
  private static String awaitHeld(String jobId) throws Exception {
    String[] runId = new String[1];
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      TestNode.Reply runs = NODE.get().get("/api/v1/jobs/" + jobId + "/runs");
      var items = runs.body().getJsonArray("items");
      if (items == null || items.isEmpty()) {
        return false;
      }
      runId[0] = items.getJsonObject(0).getString("id");
      return redis.leaseExpiry(jobId, runId[0]) != null;
    });
    assertThat(rows.count("SELECT count(*) FROM runs WHERE id = '" + runId[0] + "'::uuid AND status = 'PENDING'"))
        .as("held, not started").isEqualTo(1);
    return runId[0];
  }

  private static String job(String id, Instant at, String address) {
    return new JsonObject().put("id", id)
        .put("schedule", new JsonObject().put("type", "at").put("at", at.toString()))
        .put("task", new JsonObject().put("type", "eventbus").put("address", address)).encode();
  }
}
