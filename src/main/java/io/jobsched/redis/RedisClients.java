package io.jobsched.redis;

import io.jobsched.config.JobschedConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;

/**
 * The node's Redis client for {@code redis.mode}: one server, or a Redis Cluster found through its seed nodes.
 * The cluster client routes each command (EVALSHA included) by its keys' hash slot to the master owning it.
 */
public final class RedisClients {
  private RedisClients() {
  }

  public static Redis create(Vertx vertx, JobschedConfig.Redis cfg) {
    // the queue's spikes put tens of thousands of commands in flight at once: let them wait, not fail
    RedisOptions options = new RedisOptions().setMaxPoolSize(cfg.poolSize()).setPoolName("jobsched-redis")
        .setMaxPoolWaiting(10_000).setMaxWaitingHandlers(100_000)
        .setNetClientOptions(new NetClientOptions().setConnectTimeout(5_000).setTcpKeepAlive(true).setTcpNoDelay(true));
    if (!cfg.cluster()) {
      return Redis.createClient(vertx, options.setConnectionString(cfg.url()));
    }
    options.setType(RedisClientType.CLUSTER)
        // replicas lag their master: a claim read from one could miss a lease just taken
        .setUseReplicas(RedisReplicas.NEVER);
    cfg.endpoints().forEach(options::addConnectionString);
    return Redis.createClient(vertx, options);
  }
}
