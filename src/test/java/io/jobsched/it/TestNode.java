package io.jobsched.it;

import io.jobsched.Node;
import io.jobsched.config.ConfigLoader;
import io.jobsched.config.JobschedConfig;
import io.jobsched.store.Pools;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real node for integration tests, against the services scripts/services.sh started (ports from
 * conf/jobsched.json plus JOBSCHED_* overrides). Each node gets its own Postgres database, Redis key
 * prefix, Elasticsearch index prefix and Hazelcast cluster name, so test classes cannot see each other.
 */
public final class TestNode implements AutoCloseable {
  static {
    // an event-loop thread of an earlier test's closed Vert.x may still throw on its way out; Awaitility
    // would fail whichever test is polling at that moment with it
    org.awaitility.Awaitility.doNotCatchUncaughtExceptionsByDefault();
  }

  public record Reply(int status, JsonObject body) {}

  private final Node node;
  private final JobschedConfig config;
  private final String base;
  private final Map<String, String> headers;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestNode(Node node, JobschedConfig config) {
    this(node, config, Map.of());
  }

  private TestNode(Node node, JobschedConfig config, Map<String, String> headers) {
    this.node = node;
    this.config = config;
    this.base = "http://127.0.0.1:" + node.httpPort();
    this.headers = headers;
  }

  /** The same node, every request carrying {@code Authorization: Bearer <token>}. */
  public TestNode as(String token) {
    return withHeaders(Map.of("Authorization", "Bearer " + token));
  }

  public TestNode withHeaders(Map<String, String> extra) {
    return new TestNode(node, config, extra);
  }

  public static JsonObject isolatedConfig(String isolation) throws Exception {
    JsonObject conf = ConfigLoader.applyEnv(new JsonObject(Files.readString(Path.of("conf/jobsched.json"))), System.getenv());
    conf.getJsonObject("http").put("port", 0);
    // IT_HAZELCAST_PORT moves the test clusters' ports, so suites of two checkouts can run side by side (not JOBSCHED_*: the node config would reject it)
    int hz = Integer.parseInt(System.getenv().getOrDefault("IT_HAZELCAST_PORT", "5801"));
    conf.getJsonObject("cluster").put("name", isolation).put("port", hz)
        .put("members", new JsonArray().add("127.0.0.1:" + hz).add("127.0.0.1:" + (hz + 1)).add("127.0.0.1:" + (hz + 2)));
    conf.getJsonObject("postgres").put("database", isolation);
    conf.getJsonObject("redis").put("prefix", isolation);
    conf.getJsonObject("elasticsearch").put("index_prefix", isolation + "-logs");
    conf.getJsonObject("scheduler").put("tick_ms", 100);
    conf.getJsonObject("worker").put("poll_ms", 100).put("lease_ms", 2000).put("heartbeat_ms", 500).put("drain_ms", 2000);
    conf.getJsonObject("reaper").put("interval_ms", 500);
    conf.getJsonObject("history").put("cold_dir", "target/it-cold/" + isolation);
    return conf;
  }

  /** A fresh isolation name; its database, indices and Redis keys are dropped when the test class is done. */
  public static String newIsolation(String testName) {
    String isolation = ("it_" + testName + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
    Isolations.issued(isolation);
    return isolation;
  }

  /**
   * Drops the isolation's database ({@code WITH (FORCE)}), Elasticsearch indices and template, and Redis keys at
   * once; close its nodes first. Test classes need not call it: {@link IsolationCleanup} does when they end.
   */
  public static void dropIsolation(String isolation) throws Exception {
    Isolations.drop(isolation);
  }

  public static TestNode start(String testName, Consumer<JsonObject> tweak) throws Exception {
    String isolation = newIsolation(testName);
    JsonObject conf = isolatedConfig(isolation);
    createDatabase(JobschedConfig.from(conf).postgres(), isolation);
    return startIn(isolation, tweak);
  }

  /** A node in an existing isolation (database created), e.g. a second node of the same cluster. */
  public static TestNode startIn(String isolation, Consumer<JsonObject> tweak) throws Exception {
    JsonObject conf = isolatedConfig(isolation);
    tweak.accept(conf);
    JobschedConfig cfg = JobschedConfig.from(conf);
    return new TestNode(await(Node.start(cfg), 120), cfg);
  }

  /** The name is generated from [a-z0-9_] only, so it is safe in DDL, which takes no parameters. */
  static void createDatabase(JobschedConfig.Postgres pg, String name) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      await(PgConnection.connect(vertx, Pools.connectOptions(pg).setDatabase("postgres"))
          .compose(conn -> conn.query("CREATE DATABASE " + name).execute().eventually(conn::close)), 30);
    } finally {
      await(vertx.close(), 10);
    }
  }

  public static <T> T await(Future<T> f, int seconds) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  /** The node's configuration: its database, Redis prefix and queue layout, for tests that act beside it. */
  public JobschedConfig config() {
    return config;
  }

  public Node node() {
    return node;
  }

  public Reply post(String path, String body) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)), "POST", body);
  }

  public Reply put(String path, String body, String ifMatch) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body));
    if (ifMatch != null) {
      req.header("If-Match", ifMatch);
    }
    return send(req, "PUT", body);
  }

  public Reply delete(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), "DELETE", null);
  }

  public Reply get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), "GET", null);
  }

  private Reply send(HttpRequest.Builder req, String method, String body) throws Exception {
    headers.forEach(req::header);
    HttpResponse<String> resp = http.send(req.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    ContractCheck.check(method, body, resp);
    String text = resp.body();
    JsonObject json = text == null || text.isBlank() || !text.trim().startsWith("{") ? new JsonObject() : new JsonObject(text);
    return new Reply(resp.statusCode(), json);
  }

  @Override
  public void close() throws Exception {
    await(node.close(), 60);
  }
}
