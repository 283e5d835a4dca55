package io.jobsched.it;

import io.jobsched.config.JobschedConfig;
import io.jobsched.job.Needs;
import io.jobsched.queue.Claim;
import io.jobsched.queue.LuaScripts;
import io.jobsched.queue.QueuedRun;
import io.jobsched.queue.RunQueue;
import io.jobsched.queue.SizedClaims;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;

/** claimSizedRuns-6 and its companions against a real Redis: fit, subtract, skip, the fairness stop, requeue. */
class SizedQueueIT {
  private static final Needs TOTALS = new Needs(4000, 8192, 0);
  private static Vertx vertx;
  private static RunQueue queue;

  @BeforeAll
  static void connect() throws Exception {
    String isolation = TestNode.newIsolation("sized");
    JobschedConfig cfg = JobschedConfig.from(TestNode.isolatedConfig(isolation));
    vertx = Vertx.vertx();
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(cfg.redis().url()));
    queue = new RunQueue(new LuaScripts(redis), isolation, 4);
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close(), 10);
  }

  private static QueuedRun run(String jobId, Instant due, int cpuMilli, int memoryMb) {
    return new QueuedRun(UUID.randomUUID(), jobId, "default", "shell", due, 500, new Needs(cpuMilli, memoryMb, 0));
  }

  private static SizedClaims claim(String jobId, int max, Needs free, long reserveAfterMs) throws Exception {
    return await(queue.claimSized(queue.partitionOf(jobId), "default", "shell", max, 10_000, free, TOTALS,
        reserveAfterMs, 100), 10);
  }

  private static List<UUID> ids(SizedClaims c) {
    return c.claims().stream().map(s -> s.claim().runId()).toList();
  }

  @Test
  void runs_that_fit_are_claimed_in_order_subtracting_and_bigger_ones_are_skipped() throws Exception {
    Instant t = Instant.now().minusSeconds(10);
    QueuedRun two = run("fit-job", t, 2000, 1024);
    QueuedRun four = run("fit-job", t.plusMillis(1), 4000, 1024);
    QueuedRun one = run("fit-job", t.plusMillis(2), 1000, 512);
    QueuedRun later = run("fit-job", Instant.now().plusSeconds(3600), 1000, 0);
    assertThat(await(queue.enqueue(List.of(two, four, one, later)), 10)).isEqualTo(4);
    assertThat(await(queue.enqueue(List.of(two)), 10)).as("idempotent").isZero();
    assertThat(await(queue.hasSized(queue.partitionOf("fit-job")), 10)).isTrue();

    SizedClaims first = claim("fit-job", 10, new Needs(3000, 8192, 0), 60_000);
    assertThat(ids(first)).as("2 cores, then the 4-core run does not fit the 1 left, the 1-core one does")
        .containsExactly(two.runId(), one.runId());
    assertThat(first.claims().get(0).needs()).isEqualTo(new Needs(2000, 1024, 0));
    assertThat(first.blocked()).isNull();
    assertThat(ids(claim("fit-job", 10, new Needs(3000, 8192, 0), 60_000))).as("still too big").isEmpty();
    assertThat(ids(claim("fit-job", 0, TOTALS, 60_000))).as("no slots, no claim").isEmpty();
    assertThat(ids(claim("fit-job", 10, TOTALS, 60_000))).containsExactly(four.runId());
  }

  @Test
  void a_run_that_waited_past_reserve_after_stops_the_walk_and_is_reported() throws Exception {
    Instant t = Instant.now().minusSeconds(10);
    QueuedRun big = run("fair-job", t, 4000, 0);
    QueuedRun small = run("fair-job", t.plusMillis(1), 1000, 0);
    QueuedRun huge = run("fair-job", t.minusMillis(1), 8000, 0);
    await(queue.enqueue(List.of(big, small, huge)), 10);
    SizedClaims stopped = claim("fair-job", 10, new Needs(1000, 8192, 0), 5_000);
    assertThat(stopped.blocked()).as("huge never fits this worker: skipped, not waited for").isEqualTo(big.runId());
    assertThat(ids(stopped)).as("nothing behind the waiting run is claimed").isEmpty();
    assertThat(stopped.blockedDueMs()).isEqualTo(t.toEpochMilli());
    SizedClaims look = claim("fair-job", 0, Needs.NONE, 5_000);
    assertThat(look.blocked()).as("a look-only call finds the same run, claiming nothing").isEqualTo(big.runId());
    assertThat(ids(look)).isEmpty();
    SizedClaims young = claim("fair-job", 10, new Needs(1000, 8192, 0), 60_000);
    assertThat(ids(young)).as("not waited long enough: the small one goes").containsExactly(small.runId());
  }

  @Test
  void a_requeued_sized_run_comes_back_with_its_needs() throws Exception {
    QueuedRun r = run("requeue-job", Instant.now().minusSeconds(1), 2000, 256);
    await(queue.enqueue(List.of(r)), 10);
    Claim c = claim("requeue-job", 1, TOTALS, 60_000).claims().get(0).claim();
    assertThat(await(queue.requeue(c, r), 10)).isTrue();
    SizedClaims again = claim("requeue-job", 1, TOTALS, 60_000);
    assertThat(ids(again)).containsExactly(r.runId());
    assertThat(again.claims().get(0).needs()).isEqualTo(new Needs(2000, 256, 0));
    assertThat(again.claims().get(0).claim().token()).isGreaterThan(c.token());
    assertThat(await(queue.requeue(c, r), 10)).as("the old claim is fenced").isFalse();
  }
}
