package io.jobsched.it;

import io.jobsched.config.JobschedConfig;
import io.jobsched.queue.Claim;
import io.jobsched.queue.LeaseState;
import io.jobsched.queue.QueueKeys;
import io.jobsched.queue.LuaScripts;
import io.jobsched.queue.QueuedRun;
import io.jobsched.queue.RunQueue;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The Lua transitions against a real Redis: claim order, fencing, and healing a flushed script cache. */
class RunQueueIT {
  private static Vertx vertx;
  private static Redis redis;
  private static RunQueue queue;

  @BeforeAll
  static void connect() throws Exception {
    String isolation = TestNode.newIsolation("queue");
    JobschedConfig cfg = JobschedConfig.from(TestNode.isolatedConfig(isolation));
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(cfg.redis().url()));
    queue = new RunQueue(new LuaScripts(redis), isolation, 4);
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close(), 10);
  }

  private static QueuedRun run(String jobId, Instant due, int priority) {
    return new QueuedRun(UUID.randomUUID(), jobId, "default", "noop", due, priority);
  }

  private static int partitionOf(QueuedRun r) {
    return queue.partitionOf(r.jobId());
  }

  @Test
  void due_runs_are_claimed_highest_priority_first_and_future_ones_wait() throws Exception {
    Instant past = Instant.now().minusSeconds(1);
    QueuedRun low = run("prio-job", past, 100);
    QueuedRun high = run("prio-job", past, 900);
    QueuedRun future = run("prio-job", Instant.now().plusSeconds(3600), 1000);
    assertThat(await(queue.enqueue(List.of(low, high, future)), 10)).isEqualTo(3);
    assertThat(await(queue.enqueue(List.of(low)), 10)).as("enqueue is idempotent").isZero();

    List<Claim> claims = await(queue.claim(partitionOf(low), "default", "noop", 10, 5000), 10);
    assertThat(claims).extracting(Claim::runId).containsExactly(high.runId(), low.runId());
    assertThat(claims.get(1).token()).isGreaterThan(claims.get(0).token());
    assertThat(await(queue.enqueue(List.of(low)), 10)).as("a claimed run is not re-queued").isZero();
  }

  @Test
  void a_stale_token_can_neither_heartbeat_nor_release() throws Exception {
    QueuedRun r = run("fence-job", Instant.now().minusSeconds(1), 500);
    await(queue.enqueue(List.of(r)), 10);
    Claim claim = await(queue.claim(partitionOf(r), "default", "noop", 1, 5000), 10).get(0);
    Claim stale = new Claim(claim.runId(), claim.token() - 1, claim.partition());

    assertThat(await(queue.heartbeat(claim.partition(), List.of(stale, claim), c -> true, 5000), 10))
        .as("a stale token is not restored either: the run has an owner").containsExactly(LeaseState.LOST, LeaseState.EXTENDED);
    assertThat(await(queue.release(stale), 10)).isFalse();
    assertThat(await(queue.requeue(stale, r), 10)).isFalse();
    assertThat(await(queue.release(claim), 10)).isTrue();
    assertThat(await(queue.release(claim), 10)).as("released once").isFalse();
  }

  @Test
  void an_expired_lease_is_reported_with_its_token_and_can_be_handed_back() throws Exception {
    QueuedRun r = run("expire-job", Instant.now().minusSeconds(1), 500);
    await(queue.enqueue(List.of(r)), 10);
    Claim claim = await(queue.claim(partitionOf(r), "default", "noop", 1, 1), 10).get(0);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
        .until(() -> await(queue.expired(claim.partition(), 100), 10).contains(claim));
    assertThat(await(queue.heartbeat(claim.partition(), List.of(claim), c -> true, 5000), 10))
        .as("an expired lease is the reaper's to settle, even under its own token").containsExactly(LeaseState.LOST);
    assertThat(await(queue.requeue(claim, r), 10)).isTrue();
    assertThat(await(queue.claim(claim.partition(), "default", "noop", 1, 5000), 10))
        .extracting(Claim::runId).containsExactly(r.runId());
  }

  @Test
  void a_flushed_script_cache_is_reloaded_transparently() throws Exception {
    await(redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")), 10);
    QueuedRun r = run("noscript-job", Instant.now().minusSeconds(1), 500);
    assertThat(await(queue.enqueue(List.of(r)), 10)).isEqualTo(1);
    assertThat(await(queue.claim(partitionOf(r), "default", "noop", 1, 5000), 10)).hasSize(1);
  }

  /** What FLUSHALL does to one partition, without disturbing other tests sharing this Redis. */
  private static void wipe(int partition) throws Exception {
    QueueKeys k = queue.keys(partition);
    await(redis.send(Request.cmd(Command.DEL).arg(k.leases()).arg(k.owners()).arg(k.seq()).arg(k.ready("default", "noop"))), 10);
  }

  @Test
  void tokens_handed_out_after_redis_lost_the_counter_exceed_every_earlier_token() throws Exception {
    QueuedRun first = run("token-job", Instant.now().minusSeconds(1), 500);
    await(queue.enqueue(List.of(first)), 10);
    Claim before = await(queue.claim(partitionOf(first), "default", "noop", 1, 5000), 10).get(0);
    wipe(before.partition());
    QueuedRun second = run("token-job", Instant.now().minusSeconds(1), 500);
    await(queue.enqueue(List.of(second)), 10);
    Claim after = await(queue.claim(partitionOf(second), "default", "noop", 1, 5000), 10).get(0);
    assertThat(after.token()).isGreaterThan(before.token());
  }

  @Test
  void a_lease_redis_lost_is_restored_only_for_a_holder_whose_lease_cannot_have_expired() throws Exception {
    QueuedRun a = run("restore-job", Instant.now().minusSeconds(1), 500);
    QueuedRun b = run("restore-job", Instant.now().minusSeconds(1), 400);
    await(queue.enqueue(List.of(a, b)), 10);
    List<Claim> claims = await(queue.claim(partitionOf(a), "default", "noop", 2, 5000), 10);
    wipe(claims.get(0).partition());
    Claim fresh = claims.get(0);
    Claim overdue = claims.get(1);
    assertThat(await(queue.heartbeat(fresh.partition(), claims, c -> c.equals(fresh), 5000), 10))
        .containsExactly(LeaseState.RESTORED, LeaseState.LOST);
    assertThat(await(queue.heartbeat(fresh.partition(), List.of(fresh), c -> false, 5000), 10))
        .containsExactly(LeaseState.EXTENDED);
    // the reaper's path: the overdue run's lease comes back for one period, the fresh one is left alone
    assertThat(await(queue.restoreAll(List.of(fresh, overdue), 1), 10))
        .containsExactly(overdue.runId());
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
        .until(() -> await(queue.expired(overdue.partition(), 100), 10).contains(overdue));
  }
}
