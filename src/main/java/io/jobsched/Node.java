package io.jobsched;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.HazelcastInstance;
import io.jobsched.api.ApiServices;
import io.jobsched.api.ApiVerticle;
import io.jobsched.api.EventBusApiVerticle;
import io.jobsched.api.HealthCheck;
import io.jobsched.api.OpsVerticle;
import io.jobsched.config.JobschedConfig;
import io.jobsched.history.ColdRuns;
import io.jobsched.history.ColdStore;
import io.jobsched.history.HistoryTiers;
import io.jobsched.history.HistoryVerticle;
import io.jobsched.history.RunArchiver;
import io.jobsched.history.RunArchives;
import io.jobsched.logs.EsLogStore;
import io.jobsched.logs.LogIndexerVerticle;
import io.jobsched.logs.LogRetention;
import io.jobsched.logs.LogRetentionSweep;
import io.jobsched.logs.LogSnapshots;
import io.jobsched.logs.LogShipper;
import io.jobsched.metrics.JobschedMetrics;
import io.jobsched.metrics.MetricsVerticle;
import io.jobsched.metrics.MinuteStatsStore;
import io.jobsched.metrics.Overview;
import io.jobsched.metrics.QueueDepths;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.jobsched.queue.Leases;
import io.jobsched.queue.LuaScripts;
import io.jobsched.queue.RunQueue;
import io.jobsched.notify.NotifyVerticle;
import io.jobsched.reaper.ReaperVerticle;
import io.jobsched.redis.RedisClients;
import io.jobsched.redis.SlotBatches;
import io.jobsched.run.RunIds;
import io.jobsched.scheduler.LookAhead;
import io.jobsched.scheduler.Promoter;
import io.jobsched.scheduler.SchedulerVerticle;
import io.jobsched.worker.WorkerRegistry;
import io.jobsched.service.JobService;
import io.jobsched.service.ManualTrigger;
import io.jobsched.service.RunService;
import io.jobsched.store.JobStore;
import io.jobsched.store.Migrator;
import io.jobsched.store.Notifications;
import io.jobsched.store.Pools;
import io.jobsched.store.RunPartitions;
import io.jobsched.store.RunResults;
import io.jobsched.store.RunStore;
import io.jobsched.store.RunningRunStore;
import io.jobsched.api.json.RunJson;
import io.jobsched.settle.ResultRecorder;
import io.jobsched.settle.RunEvents;
import io.jobsched.store.JobCache;
import io.jobsched.worker.Workers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.redis.client.Redis;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One jobsched node: joins the cluster, checks the services, migrates the schema, then deploys the
 * verticles of its roles. Everything here is wiring; behaviour lives in the packages.
 */
public final class Node {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  /** Parsed job definitions kept per node: a few hundred bytes each, so about 20-40 MB when full. */
  private static final int JOB_CACHE_ENTRIES = 100_000;
  private static final String SCHEDULER_ATTRIBUTE = "jobsched.scheduler";
  /** The member attribute vertx-hazelcast keeps each member's Vert.x node id in. */
  private static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private final JobschedConfig cfg;
  private final Vertx vertx;
  private final String nodeId;
  /** null when clustering is off (a single node owns every shard) */
  private final ClusterManager cluster;
  private final JobschedMetrics metrics;
  private Pool pg;
  private Redis redis;
  private EsLogStore es;
  private ColdStore cold;
  private ApiVerticle api;
  private OpsVerticle ops;
  private final java.util.Deque<String> deployments = new java.util.concurrent.ConcurrentLinkedDeque<>();

  private Node(JobschedConfig cfg, Vertx vertx, ClusterManager cluster, PrometheusMeterRegistry registry) {
    this.cfg = cfg;
    this.vertx = vertx;
    this.cluster = cluster;
    this.metrics = new JobschedMetrics(registry, InstantSource.system());
    this.nodeId = cfg.node().id().isBlank() ? "node-" + UUID.randomUUID().toString().substring(0, 8) : cfg.node().id();
  }

  public static Future<Node> start(JobschedConfig cfg) {
    ClusterManager cluster = cfg.cluster().enabled() ? new HazelcastClusterManager(hazelcast(cfg)) : null;
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JobschedMetrics.prefixAll(registry);
    return startVertx(cfg, cluster, registry).compose(vertx -> {
      Node node = new Node(cfg, vertx, cluster, registry);
      return node.boot().map(node).recover(err -> node.close().transform(ar -> Future.failedFuture(err)));
    });
  }

  private static Future<Vertx> startVertx(JobschedConfig cfg, ClusterManager cluster, PrometheusMeterRegistry registry) {
    // HTTP requests labelled by route template, not path: one series per endpoint, not per job id
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setLabels(java.util.EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE,
            Label.POOL_NAME, Label.CLIENT_NAME, Label.NAMESPACE)));
    var builder = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry));
    if (cluster == null) {
      return Future.succeededFuture(builder.build());
    }
    options.getEventBusOptions().setHost(cfg.cluster().host()).setPort(0);
    return builder.withClusterManager(cluster).buildClustered();
  }

  /**
   * TCP-IP join on the configured members, multicast off: nothing leaves the configured interface. Each member
   * says whether it runs a scheduler, so shards are split among the members that promote them.
   */
  static Config hazelcast(JobschedConfig cfg) {
    JobschedConfig.Cluster cluster = cfg.cluster();
    Config hz = ConfigUtil.loadConfig();
    hz.getMemberAttributeConfig().setAttribute(SCHEDULER_ATTRIBUTE, String.valueOf(cfg.node().has("scheduler")));
    hz.setClusterName(cluster.name());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(true);
    hz.getNetworkConfig().getInterfaces().setEnabled(true).setInterfaces(List.of(cluster.host()));
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    return hz;
  }

  private Future<Void> boot() {
    pg = Pools.create(vertx, cfg.postgres());
    redis = RedisClients.create(vertx, cfg.redis());
    es = new EsLogStore(vertx, cfg.elasticsearch().url(), cfg.elasticsearch().indexPrefix());
    return Preflight.check(cfg, pg, redis, es)
        .compose(v -> new Migrator(vertx, cfg.postgres()).migrate())
        .compose(v -> new RunPartitions(pg).ensure())
        .compose(v -> deploy())
        .onSuccess(v -> log.info("node {} up with roles {}", nodeId, cfg.node().roles()));
  }

  private Future<Void> deploy() {
    JobStore jobStore = new JobStore(pg, cfg.scheduler().shards(), new JobCache(JOB_CACHE_ENTRIES));
    RunStore runStore = new RunStore(pg);
    RunningRunStore runningStore = new RunningRunStore(pg);
    RunResults results = new RunResults(pg);
    RunQueue queue = new RunQueue(new LuaScripts(redis), cfg.redis().prefix(), cfg.queue().partitions(),
        cfg.redis().cluster());
    RunEvents events = new RunEvents(vertx.eventBus(), RunJson::toJson);
    RunArchives archives = new RunArchives(pg);
    cold = new ColdStore(Path.of(cfg.history().coldDir()));
    ColdRuns coldRuns = new ColdRuns(vertx, archives, cold);
    String streamKey = LogShipper.streamKey(cfg.redis().prefix());
    WorkerRegistry workers = new WorkerRegistry(redis, cfg.redis().prefix());
    MinuteStatsStore minuteStats = new MinuteStatsStore(redis, cfg.redis().prefix());
    QueueDepths depths = new QueueDepths(new SlotBatches(redis, cfg.redis().cluster()), queue, workers, InstantSource.system());
    // sampled where the reaper runs: one cluster-wide count, not one query per node
    Future<?> chain = deploy(new MetricsVerticle(metrics, minuteStats, depths, cfg.node().has("reaper")
        ? new io.jobsched.metrics.UnplaceableRuns(runStore, workers, InstantSource.system()) : null));
    if (cfg.node().has("indexer")) {
      chain = chain.compose(v -> deploy(
          new LogIndexerVerticle(redis, es, streamKey, nodeId, cfg.logs().batchSize(),
              cfg.logs().claimIdleMs(),
              new LogRetentionSweep(es, new LogRetention(cfg.elasticsearch().indexPrefix(), cfg.logs().hotDays()),
                  cfg.logs().snapshotDir().isBlank() ? null : new LogSnapshots(es,
                      cfg.elasticsearch().indexPrefix() + "-snapshots", cfg.logs().snapshotDir()),
                  java.time.Clock.systemUTC()), metrics)));
    }
    if (cfg.node().has("worker")) {
      LogShipper shipper = new LogShipper(redis, cfg.redis().prefix(), cfg.logs().streamMaxLen(), metrics);
      chain = chain.compose(v -> deploy(
          Workers.create(vertx, cfg.worker(), jobStore, runStore, runningStore, results, queue, shipper, events, workers,
              metrics, nodeId + "/worker-1")));
    }
    if (cfg.node().has("reaper")) {
      chain = chain.compose(v -> deploy(
          new ReaperVerticle(runStore, runningStore, jobStore, queue,
              new ResultRecorder(vertx, results, queue, events, metrics),
              InstantSource.system(), cfg.reaper().intervalMs(), cfg.worker().leaseMs(), metrics)))
          .compose(v -> deploy(new NotifyVerticle(cfg.notifications(), new Notifications(pg), runStore, coldRuns,
              jobStore, metrics)))
          .compose(v -> deploy(new HistoryVerticle(new RunArchiver(vertx, pg, archives, cold,
              new HistoryTiers(cfg.history().hotMonths()), java.time.Clock.systemUTC(), cfg.history().fileRows()),
              cfg.history().archiveIntervalMs())));
    }
    if (cfg.node().has("scheduler")) {
      JobschedConfig.Scheduler s = cfg.scheduler();
      Promoter promoter = new Promoter(jobStore, runStore, queue, new RunIds(),
          new LookAhead(Duration.ofMillis(s.lookAheadMs()), Duration.ofMillis(s.maxLookAheadMs()), s.lookAheadRate()),
          Duration.ofMillis(s.misfireThresholdMs()), s.batchSize(), metrics);
      chain = chain.compose(v -> deploy(new SchedulerVerticle(promoter, new RunPartitions(pg),
          schedulers(), selfId(), s.shards(), s.tickMs())));
    }
    if (cfg.node().has("api")) {
      ManualTrigger trigger = new ManualTrigger(jobStore, runStore, queue, new RunIds());
      JobService jobService = new JobService(jobStore, events::cancel, events::jobChanged);
      ApiServices services = new ApiServices(vertx, jobService, new RunService(runStore,
          coldRuns, es, events::cancel, new Leases(redis, queue), new Notifications(pg)),
          trigger, pg, redis, es, workers, metrics, new Overview(minuteStats, depths, InstantSource.system()));
      chain = chain.compose(v -> deployApi(services))
          .compose(v -> deploy(new EventBusApiVerticle(jobService, trigger, cfg.http().requestTimeoutMs())));
    } else {
      ops = new OpsVerticle(cfg.http(), new HealthCheck(vertx, pg, redis, es), metrics.registry());
      chain = chain.compose(v -> deploy(ops));
    }
    return chain.mapEmpty();
  }

  /**
   * The API on {@code http.instances} event loops sharing its port, so requests are parsed, validated and
   * encoded on every core rather than one loop's. The instances share the services; {@link #api} is the
   * first, for its port and routes.
   */
  private Future<String> deployApi(ApiServices services) {
    return vertx.deployVerticle(() -> {
      ApiVerticle instance = new ApiVerticle(cfg.http(), cfg.auth(), services);
      synchronized (this) {
        if (api == null) {
          api = instance;
        }
      }
      return instance;
    }, new io.vertx.core.DeploymentOptions().setInstances(cfg.http().apiInstances())).onSuccess(deployments::push);
  }

  /** Deploys and remembers the verticle, so close can undeploy in reverse order while the clients still work. */
  private Future<String> deploy(io.vertx.core.Deployable verticle) {
    return vertx.deployVerticle(verticle).onSuccess(deployments::push);
  }

  private String selfId() {
    return cluster == null ? nodeId : cluster.getNodeId();
  }

  /**
   * The members that run a scheduler, by Vert.x node id: shards split over every member would leave the shares
   * of api-only or worker-only nodes unpromoted.
   */
  private Supplier<List<String>> schedulers() {
    if (cluster == null) {
      return () -> List.of(nodeId);
    }
    HazelcastInstance hz = ((HazelcastClusterManager) cluster).getHazelcastInstance();
    return () -> hz.getCluster().getMembers().stream()
        .filter(m -> "true".equals(m.getAttribute(SCHEDULER_ATTRIBUTE)))
        .map(m -> m.getAttribute(VERTX_NODE_ID_ATTRIBUTE))
        .filter(java.util.Objects::nonNull)
        .toList();
  }

  private Supplier<List<String>> members() {
    return cluster == null ? () -> List.of(nodeId) : cluster::getNodes;
  }

  /** The cluster's member ids as this node sees them (just itself when clustering is off). */
  public List<String> clusterMembers() {
    return members().get();
  }

  private Future<Void> undeployAll() {
    String next = deployments.poll();
    if (next == null) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(next)
        .onFailure(err -> log.warn("undeploying {} failed: {}", next, err.getMessage()))
        .eventually(this::undeployAll);
  }

  public String id() {
    return nodeId;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The API's routes as {@code "METHOD /path"} (see {@link ApiVerticle#routes}); empty without the api role. */
  public List<String> apiRoutes() {
    return api == null ? List.of() : api.routes();
  }

  /** The HTTP port the node listens on: the API's, or only /health and /metrics without the api role. */
  public int httpPort() {
    return api != null ? api.port() : ops != null ? ops.port() : -1;
  }

  /**
   * Undeploys the verticles newest first (the API stops taking requests, schedulers stop, workers drain and
   * hand back, the log indexer goes last) while Postgres and Redis are still open; then closes the clients
   * and leaves the cluster.
   */
  public Future<Void> close() {
    // vertx.close() is called from a thread outside Vert.x, and the result is a future bound to no context:
    // a listener bound to an event loop would be dropped once the loops have shut down
    return Future.fromCompletionStage(undeployAll().toCompletionStage()
        .thenComposeAsync(v -> {
          closeQuietly(es, "the Elasticsearch client");
          closeQuietly(cold, "the cold store");
          return vertx.close().toCompletionStage();
        }, ForkJoinPool.commonPool()));
  }

  private static void closeQuietly(AutoCloseable client, String what) {
    try {
      if (client != null) {
        client.close();
      }
    } catch (Exception e) {
      log.debug("closing {}: {}", what, e.getMessage());
    }
  }
}
