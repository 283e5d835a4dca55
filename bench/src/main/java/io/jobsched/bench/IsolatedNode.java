package io.jobsched.bench;

import io.jobsched.config.ConfigLoader;
import io.jobsched.config.JobschedConfig;
import io.jobsched.store.Pools;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;

import java.util.List;

import static io.jobsched.bench.BenchSupport.await;

/**
 * The default node in a throwaway isolation (database, key and index prefix, cluster name of its own), with a
 * connection to its database for the bench's own reads; {@link #close()} stops the node and drops it all.
 */
final class IsolatedNode implements AutoCloseable {
  private final JobschedConfig cfg;
  private final Vertx vertx = Vertx.vertx();
  private final String isolation;
  private final Redis redis;
  final Pool pg;
  final int port;
  private NodeProcess node;
  private final List<String> jvmArgs;
  private final java.util.Map<String, String> env;

  IsolatedNode(String isolation, List<String> jvmArgs) throws Exception {
    this(isolation, jvmArgs, java.util.Map.of());
  }

  /** {@code env}: configuration the bench needs on top of the defaults ({@code JOBSCHED_*}). */
  IsolatedNode(String isolation, List<String> jvmArgs, java.util.Map<String, String> env) throws Exception {
    this.isolation = isolation;
    this.cfg = ConfigLoader.load(System.getenv());
    BenchSupport.admin(vertx, cfg.postgres(), "CREATE DATABASE " + isolation);
    pg = Pools.create(vertx, new JobschedConfig.Postgres(cfg.postgres().host(), cfg.postgres().port(), isolation,
        cfg.postgres().user(), cfg.postgres().password(), 2));
    redis = Redis.createClient(vertx, cfg.redis().url());
    port = NodeProcess.freePort();
    this.jvmArgs = jvmArgs;
    this.env = env;
    node = NodeProcess.startIsolated(isolation, port, jvmArgs, env);
  }

  /** {@code --node-jvm-args "..."}: extra JVM options for the node, for diagnostics (e.g. a JFR recording). */
  static List<String> jvmArgs(java.util.Map<String, String> opts) {
    String jvm = opts.getOrDefault("node-jvm-args", "");
    return jvm.isBlank() ? List.of() : List.of(jvm.trim().split("\\s+"));
  }

  /** The bench's own Vert.x (its database pool and HTTP clients), not the node's. */
  Vertx vertx() {
    return vertx;
  }

  long pid() {
    return node.pid();
  }

  long peakRssBytes() throws Exception {
    return node.peakRssBytes();
  }

  /** Stops the node (SIGTERM, as a deploy would); resolves to its peak resident memory. */
  long stopNode() throws Exception {
    long rss = node.peakRssBytes();
    node.stop();
    node = null;
    return rss;
  }

  /** Stops the node (SIGTERM) and starts it again on the same port, database and configuration. */
  void restartNode() throws Exception {
    node.stop();
    node = NodeProcess.startIsolated(isolation, port, jvmArgs, env);
  }

  @Override
  public void close() throws Exception {
    if (node != null) {
      node.stop();
    }
    await(pg.close());
    BenchSupport.admin(vertx, cfg.postgres(), "DROP DATABASE IF EXISTS " + isolation + " WITH (FORCE)");
    System.out.printf("  dropped database %s and %d Redis keys%n", isolation, RunBench.dropKeys(redis, isolation + ":*"));
    await(vertx.close());
  }
}
