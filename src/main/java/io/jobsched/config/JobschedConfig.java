package io.jobsched.config;

import io.jobsched.job.Needs;
import io.jobsched.job.TaskSpec;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The whole node configuration, validated; see {@code conf/jobsched.json} for defaults. */
public record JobschedConfig(
    Node node, Http http, Auth auth, Cluster cluster, Postgres postgres, Redis redis, Elasticsearch elasticsearch,
    Scheduler scheduler, Queue queue, Worker worker, Reaper reaper, Logs logs, History history, Notify notifications) {

  public static final Set<String> ROLES = Set.of("api", "scheduler", "worker", "reaper", "indexer");

  public record Node(String id, List<String> roles) {
    public boolean has(String role) {
      return roles.contains(role);
    }
  }

  /**
   * {@code requestTimeoutMs}: a request not answered by then gets 503 unavailable (a backend hangs).
   * {@code instances}: API server instances, each on its own event loop sharing the port (0: one per core).
   * A server on port 0 (tests) gets a random port of its own, which a second instance could not share: one.
   */
  public record Http(String host, int port, int bodyLimitBytes, int requestTimeoutMs, int instances) {
    /** The API verticles to deploy: {@code instances}, or one per available core when 0. */
    public int apiInstances() {
      return port == 0 ? 1 : instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
    }

    public boolean loopbackOnly() {
      return host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }
  }

  /**
   * A bearer token (kept only as its SHA-256) with a scope and, optionally, a name (who changed a job), the
   * namespaces it may touch and the task kinds it may create jobs of (null: the scope's default).
   */
  public record Token(String sha256, String scope, String name, List<String> namespaces, List<String> taskKinds) {}

  public record Auth(List<Token> tokens) {
    public boolean enabled() {
      return !tokens.isEmpty();
    }
  }

  public record Cluster(boolean enabled, String name, String host, int port, List<String> members) {}

  public record Postgres(String host, int port, String database, String user, String password, int poolSize) {}

  /**
   * {@code mode} standalone: one server at {@code url}; cluster: a Redis Cluster reached through the seed
   * nodes {@code endpoints} (every queue partition's keys share one hash slot, see queue.QueueKeys).
   */
  public record Redis(String mode, String url, List<String> endpoints, String prefix, int poolSize) {
    public static final String STANDALONE = "standalone";
    public static final String CLUSTER = "cluster";

    public boolean cluster() {
      return mode.equals(CLUSTER);
    }

    /** Where the node looks for Redis, for messages. */
    public String where() {
      return cluster() ? "cluster " + String.join(",", endpoints) : url;
    }
  }

  public record Elasticsearch(String url, String indexPrefix) {}

  /**
   * {@code lookAheadMs}: how early fires are promoted normally; up to {@code maxLookAheadMs} when many are
   * coming, as long as promoting them takes at {@code lookAheadRate} runs per second.
   */
  public record Scheduler(int shards, int tickMs, int lookAheadMs, int maxLookAheadMs, int lookAheadRate,
                          int batchSize, int misfireThresholdMs) {}

  public record Queue(int partitions) {}

  /**
   * {@code capacity}: runs held or running per resource class; {@code kindCapacity}: the same per task kind
   * (a kind not listed is bound by its class only); {@code taskKinds}: the kinds this worker runs (runs of
   * other kinds are left to other workers); {@code preclaimMs}: how far ahead of their instant runs are
   * claimed and held. {@code resources}: the cpu, memory and GPUs this worker offers to sized runs
   * ({@code worker.resources}, each defaulting to the machine's: available processors, physical memory, no
   * GPU); {@code reserveAfterMs}: how long the oldest sized run that could fit this worker waits before the
   * worker stops claiming other sized runs until it fits (fairness); {@code enforceLimits}: keep sized shell
   * tasks inside their memory and cpu (cgroup per run where possible, else prlimit).
   */
  public record Worker(Map<String, Integer> capacity, Map<String, Integer> kindCapacity, List<String> taskKinds,
                       int pollMs, int leaseMs, int heartbeatMs, int drainMs, int preclaimMs, Needs resources,
                       int reserveAfterMs, boolean enforceLimits) {}

  public record Reaper(int intervalMs) {}

  /**
   * {@code hotDays}: how long a day's log index is kept after the day ended, then deleted; when
   * {@code snapshotDir} is not empty, snapshotted first to a shared-file-system repository there (a folder
   * the Elasticsearch nodes can write, listed in their {@code path.repo}).
   */
  public record Logs(int streamMaxLen, int batchSize, int hotDays, String snapshotDir, int claimIdleMs) {}

  /**
   * {@code hotMonths}: months of run history kept in Postgres, the current one included; older months move to
   * Parquet files under {@code coldDir}, at most {@code fileRows} runs a file, checked every
   * {@code archiveIntervalMs}.
   */
  public record History(int hotMonths, String coldDir, int fileRows, int archiveIntervalMs) {}

  /**
   * Delivery of job notifications (run by reaper nodes): each is tried up to {@code maxAttempts} times,
   * {@code backoffMs} doubling per failure up to {@code maxBackoffMs} (jittered), each attempt given
   * {@code timeoutMs}; due rows are looked for every {@code pollMs}, {@code batchSize} at a time.
   * {@code hmacSecret}: when not empty, every delivery is signed with it (HMAC-SHA256). Sent and failed rows
   * are deleted {@code keepDays} after they were created.
   */
  public record Notify(int maxAttempts, int backoffMs, int maxBackoffMs, int timeoutMs, int pollMs, int batchSize,
                       String hmacSecret, int keepDays) {
    @Override
    public String toString() {
      // never print the secret (config is logged at start)
      return "Notify[maxAttempts=" + maxAttempts + ", backoffMs=" + backoffMs + ", maxBackoffMs=" + maxBackoffMs
          + ", timeoutMs=" + timeoutMs + ", pollMs=" + pollMs + ", batchSize=" + batchSize + ", hmacSecret="
          + (hmacSecret.isEmpty() ? "" : "***") + ", keepDays=" + keepDays + "]";
    }
  }

  public static JobschedConfig from(JsonObject root) {
    for (String section : root.fieldNames()) {
      if (!Set.of("node", "http", "auth", "cluster", "postgres", "redis", "elasticsearch", "scheduler", "queue",
          "worker", "reaper", "logs", "history", "notify").contains(section)) {
        throw new ConfigException(section + ": unknown config section");
      }
    }
    ConfigSection n = new ConfigSection(root, "node", Set.of("id", "roles"));
    List<String> roles = n.strings("roles");
    for (String role : roles) {
      if (!ROLES.contains(role)) {
        throw n.bad("roles", "unknown role '" + role + "' (known: " + ROLES + ")");
      }
    }
    ConfigSection h = new ConfigSection(root, "http", Set.of("host", "port", "body_limit_bytes", "request_timeout_ms",
        "instances"));
    Http http = new Http(h.string("host", false), h.integer("port", 0, 65535), h.integer("body_limit_bytes", 1024, 64 << 20),
        h.integer("request_timeout_ms", 100, 600_000), h.integer("instances", 0, 256));
    Auth auth = AuthConfig.parse(new ConfigSection(root, "auth", Set.of("tokens")));
    if (!auth.enabled() && !http.loopbackOnly()) {
      throw new ConfigException("auth.tokens: required when http.host (" + http.host() + ") is not loopback: "
          + "configure at least one token before exposing the API");
    }
    ConfigSection c = new ConfigSection(root, "cluster", Set.of("enabled", "name", "host", "port", "members"));
    ConfigSection p = new ConfigSection(root, "postgres",
        Set.of("host", "port", "database", "user", "password", "pool_size"));
    ConfigSection r = new ConfigSection(root, "redis", RedisConfig.KEYS);
    ConfigSection e = new ConfigSection(root, "elasticsearch", Set.of("url", "index_prefix"));
    ConfigSection s = new ConfigSection(root, "scheduler",
        Set.of("shards", "tick_ms", "look_ahead_ms", "max_look_ahead_ms", "look_ahead_rate", "batch_size",
            "misfire_threshold_ms"));
    ConfigSection q = new ConfigSection(root, "queue", Set.of("partitions"));
    ConfigSection w = new ConfigSection(root, "worker",
        Set.of("capacity", "kind_capacity", "task_kinds", "poll_ms", "lease_ms", "heartbeat_ms", "drain_ms",
            "preclaim_ms", "resources", "reserve_after_ms", "enforce_limits"));
    ConfigSection rp = new ConfigSection(root, "reaper", Set.of("interval_ms"));
    ConfigSection l = new ConfigSection(root, "logs", Set.of("stream_max_len", "batch_size", "hot_days",
        "snapshot_dir", "claim_idle_ms"));
    ConfigSection hi = new ConfigSection(root, "history", Set.of("hot_months", "cold_dir", "file_rows",
        "archive_interval_ms"));

    ConfigSection nt = new ConfigSection(root, "notify", Set.of("max_attempts", "backoff_ms", "max_backoff_ms",
        "timeout_ms", "poll_ms", "batch_size", "hmac_secret", "keep_days"));
    Notify notify = new Notify(nt.integer("max_attempts", 1, 100), nt.integer("backoff_ms", 1, 3_600_000),
        nt.integer("max_backoff_ms", 1, 86_400_000), nt.integer("timeout_ms", 100, 600_000),
        nt.integer("poll_ms", 10, 60_000), nt.integer("batch_size", 1, 10_000), nt.string("hmac_secret", true),
        nt.integer("keep_days", 1, 36_500));
    if (notify.maxBackoffMs() < notify.backoffMs()) {
      throw nt.bad("max_backoff_ms", "must be at least notify.backoff_ms (" + notify.backoffMs() + ")");
    }
    List<String> taskKinds = w.strings("task_kinds");
    if (taskKinds.isEmpty() || !TaskSpec.KINDS.containsAll(taskKinds) || Set.copyOf(taskKinds).size() != taskKinds.size()) {
      throw w.bad("task_kinds", "expected distinct task kinds out of " + TaskSpec.KINDS + ", got " + taskKinds);
    }
    Map<String, Integer> kindCapacity = w.positiveInts("kind_capacity");
    if (!TaskSpec.KINDS.containsAll(kindCapacity.keySet())) {
      throw w.bad("kind_capacity", "keys must be task kinds out of " + TaskSpec.KINDS + ", got " + kindCapacity.keySet());
    }
    Worker worker = new Worker(w.positiveInts("capacity"), kindCapacity, taskKinds, w.integer("poll_ms", 1, 60_000),
        w.integer("lease_ms", 500, 3_600_000), w.integer("heartbeat_ms", 100, 600_000),
        w.integer("drain_ms", 0, 3_600_000), w.integer("preclaim_ms", 0, 600_000), WorkerResources.parse(w),
        w.has("reserve_after_ms") ? w.integer("reserve_after_ms", 0, 86_400_000) : 30_000,
        !w.has("enforce_limits") || w.bool("enforce_limits"));
    if (worker.heartbeatMs() * 2 > worker.leaseMs()) {
      throw w.bad("heartbeat_ms", "must be at most half of worker.lease_ms so one missed beat does not lose the lease");
    }
    String esUrl = e.string("url", false);
    checkUrl(e, "url", esUrl, "http", "https");
    return new JobschedConfig(
        new Node(n.string("id", true), roles),
        http, auth,
        new Cluster(c.bool("enabled"), c.string("name", false), c.string("host", false), c.integer("port", 1, 65535), c.strings("members")),
        new Postgres(p.string("host", false), p.integer("port", 1, 65535), p.string("database", false),
            p.string("user", false), p.string("password", true), p.integer("pool_size", 1, 1000)),
        RedisConfig.parse(r),
        new Elasticsearch(esUrl, e.string("index_prefix", false)),
        new Scheduler(s.integer("shards", 1, 4096), s.integer("tick_ms", 10, 60_000),
            s.integer("look_ahead_ms", 0, 60_000), s.integer("max_look_ahead_ms", 0, 600_000),
            s.integer("look_ahead_rate", 1, 10_000_000), s.integer("batch_size", 1, 100_000),
            s.integer("misfire_threshold_ms", 0, 3_600_000)),
        new Queue(q.integer("partitions", 1, 1024)),
        worker,
        new Reaper(rp.integer("interval_ms", 50, 3_600_000)),
        new Logs(l.integer("stream_max_len", 1000, 1_000_000_000), l.integer("batch_size", 1, 100_000),
            l.integer("hot_days", 1, 36_500), l.string("snapshot_dir", true),
            l.integer("claim_idle_ms", 1000, 3_600_000)),
        // two months at least: the scheduler keeps last month's partition, which must never be archived
        new History(hi.integer("hot_months", 2, 1200), hi.string("cold_dir", false), hi.integer("file_rows", 1000, 100_000_000),
            hi.integer("archive_interval_ms", 1000, 86_400_000)),
        notify);
  }

  private static void checkUrl(ConfigSection section, String key, String url, String... schemes) {
    try {
      URI uri = URI.create(url);
      if (uri.getHost() == null || !List.of(schemes).contains(uri.getScheme())) {
        throw section.bad(key, "expected a URL with scheme " + String.join(" or ", schemes) + ", got " + url);
      }
    } catch (IllegalArgumentException ex) {
      throw section.bad(key, "not a URL: " + url);
    }
  }
}
