package io.jobsched.it;

import io.jobsched.config.JobschedConfig;
import io.jobsched.queue.Partitions;
import io.jobsched.queue.QueueKeys;
import io.jobsched.redis.RedisClients;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisCluster;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * A test's look into one node's Redis state, by the queue key layout of {@link QueueKeys} under the node's
 * prefix: whether a run is in a ready queue, holds a lease, has an owner token. And a wipe of exactly that
 * node's keys, which is what a FLUSHALL does to the node without touching anyone else's keys on the shared
 * Redis (other checkouts' suites run against the same server). On a Redis Cluster ({@code redis.mode: cluster})
 * it reads through the node's own kind of client, and the wipe runs on every master.
 */
final class NodeRedis implements AutoCloseable {
  /** Deletes every key matching ARGV[1] in one atomic step, as FLUSHALL would; returns the deleted names. */
  private static final String WIPE = "local deleted = {} local cursor = '0' repeat "
      + "local page = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 1000) cursor = page[1] "
      + "for _, key in ipairs(page[2]) do redis.call('DEL', key) deleted[#deleted + 1] = key end "
      + "until cursor == '0' return deleted";

  private final Vertx vertx = Vertx.vertx();
  private final Redis redis;
  private final boolean cluster;
  private final String prefix;
  private final int partitions;

  NodeRedis(JobschedConfig config) {
    this.redis = RedisClients.create(vertx, config.redis());
    this.cluster = config.redis().cluster();
    this.prefix = config.redis().prefix();
    this.partitions = config.queue().partitions();
  }

  QueueKeys keysOf(String jobId) {
    return QueueKeys.of(prefix, Partitions.bucket(jobId, partitions), partitions, cluster);
  }

  /** The run's score in its ready queue (per resource class and task kind), null when it is not queued. */
  /** The queue (ready or delayed) the run waits in, or null when it is not queued. */
  String queuedIn(String jobId, String resourceClass, String taskKind, String runId) throws Exception {
    for (String key : List.of(keysOf(jobId).ready(resourceClass, taskKind), keysOf(jobId).delayed(resourceClass, taskKind))) {
      if (string(send(Request.cmd(Command.ZSCORE).arg(key).arg(runId))) != null) {
        return key;
      }
    }
    return null;
  }


  /** The run's lease expiry (ms of Redis time), null when it holds no lease. */
  String leaseExpiry(String jobId, String runId) throws Exception {
    return string(send(Request.cmd(Command.ZSCORE).arg(keysOf(jobId).leases()).arg(runId)));
  }

  /** The fencing token of the run's current claim, null when it has no owner entry. */
  String ownerToken(String jobId, String runId) throws Exception {
    return string(send(Request.cmd(Command.HGET).arg(keysOf(jobId).owners()).arg(runId)));
  }

  /** Leases held across every queue partition: runs some worker has claimed and not finished. */
  long leasesHeld() throws Exception {
    long held = 0;
    for (int p = 0; p < partitions; p++) {
      held += send(Request.cmd(Command.ZCARD).arg(QueueKeys.of(prefix, p, partitions, cluster).leases())).toLong();
    }
    return held;
  }

  /** The number of entries in a stream (0 when it does not exist). */
  long streamLength(String key) throws Exception {
    return send(Request.cmd(Command.XLEN).arg(key)).toLong();
  }

  /**
   * Atomically deletes every key of this node's prefix (on a cluster: atomically per master, each master's
   * share, as a FLUSHALL sent to every master would); returns their names.
   */
  List<String> wipe() throws Exception {
    Request wipe = Request.cmd(Command.EVAL).arg(WIPE).arg(0).arg(prefix + ":*");
    List<Response> perMaster = cluster
        ? TestNode.await(RedisCluster.create(redis).onAllMasterNodes(wipe), 10)
        : List.of(send(wipe));
    List<String> names = new ArrayList<>();
    perMaster.forEach(deleted -> deleted.forEach(r -> names.add(r.toString())));
    return names;
  }

  private Response send(Request request) throws Exception {
    return TestNode.await(redis.send(request), 10);
  }

  private static String string(Response r) {
    return r == null ? null : r.toString();
  }

  @Override
  public void close() throws Exception {
    TestNode.await(vertx.close(), 10);
  }
}
