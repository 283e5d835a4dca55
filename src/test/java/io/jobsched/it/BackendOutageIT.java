package io.jobsched.it;

import io.jobsched.api.EventBusApiVerticle;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * A backend outage is a 503 {@code unavailable} with {@code Retry-After} in the error shape, on REST and the
 * event bus, within the request timeout, and the API works again once the backend is back. One node whose
 * Postgres, Redis and Elasticsearch are each reached through a {@link TcpProxy} the tests cut, hang and
 * restore; the real services stay up for everyone else.
 */
class BackendOutageIT {
  private static final int REQUEST_TIMEOUT_MS = 3_000;
  private static final String FAR = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";

  private static TcpProxy pg;
  private static TcpProxy redis;
  private static TcpProxy es;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    JsonObject real = TestNode.isolatedConfig("unused");
    URI redisUrl = URI.create(real.getJsonObject("redis").getString("url"));
    URI esUrl = URI.create(real.getJsonObject("elasticsearch").getString("url"));
    pg = TcpProxy.to(real.getJsonObject("postgres").getString("host"), real.getJsonObject("postgres").getInteger("port"));
    redis = TcpProxy.to(redisUrl.getHost(), redisUrl.getPort());
    es = TcpProxy.to(esUrl.getHost(), esUrl.getPort());
    node = TestNode.start("outage", conf -> {
      conf.getJsonObject("cluster").put("enabled", false);
      conf.getJsonObject("http").put("request_timeout_ms", REQUEST_TIMEOUT_MS);
      conf.getJsonObject("postgres").put("port", pg.port());
      conf.getJsonObject("redis").put("url", "redis://127.0.0.1:" + redis.port());
      conf.getJsonObject("elasticsearch").put("url", "http://127.0.0.1:" + es.port());
    });
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {node, pg, redis, es}) {
      if (c != null) {
        c.close();
      }
    }
  }

  /** Every test leaves the services up and the node healthy again, whatever it cut. */
  @AfterEach
  void restoreAll() throws Exception {
    pg.restore();
    redis.restore();
    es.restore();
    await().atMost(Duration.ofSeconds(60)).until(() -> RawHttp.get(node, "/health").status() == 200);
  }

  private static String job(String id) {
    return "{\"id\":\"" + id + "\",\"schedule\":" + FAR + ",\"task\":{\"type\":\"noop\"}}";
  }

  private static void assertUnavailable(RawHttp.Answer a, boolean fasterThanTheTimeout) {
    assertThat(a.status()).as(a.body()).isEqualTo(503);
    assertThat(a.json().getString("error")).isEqualTo("unavailable");
    assertThat(a.json().getString("message")).isNotBlank();
    assertThat(a.json().getJsonArray("details")).isEmpty();
    assertThat(a.header("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
    assertThat(a.elapsed()).isLessThan(Duration.ofMillis(REQUEST_TIMEOUT_MS + 2_000));
    if (fasterThanTheTimeout) {
      assertThat(a.elapsed()).as("failed fast, not by the request timeout").isLessThan(Duration.ofMillis(REQUEST_TIMEOUT_MS));
    }
  }

  private static ReplyException busFailure(String action, JsonObject body) {
    Throwable t = catchThrowable(() -> TestNode.await(node.node().vertx().eventBus().request(EventBusApiVerticle.ADDRESS,
        body, new DeliveryOptions().addHeader("action", action).setSendTimeout(30_000)), 40));
    assertThat(t).isInstanceOf(ExecutionException.class).cause().isInstanceOf(ReplyException.class);
    return (ReplyException) t.getCause();
  }

  private static void assertBusUnavailable(ReplyException e) {
    assertThat(e.failureCode()).isEqualTo(503);
    JsonObject error = new JsonObject(e.getMessage());
    assertThat(error.getString("error")).isEqualTo("unavailable");
    assertThat(error.getJsonArray("details")).isEmpty();
  }

  @Test
  void postgres_down_is_503_unavailable_on_rest_and_the_event_bus_then_the_api_recovers() throws Exception {
    assertThat(node.post("/api/v1/jobs", job("pg-down")).status()).isEqualTo(201);
    pg.cut();

    assertUnavailable(RawHttp.get(node, "/api/v1/jobs/pg-down"), true);
    assertUnavailable(RawHttp.get(node, "/api/v1/jobs?limit=10"), true);
    assertUnavailable(RawHttp.send(node, "POST", "/api/v1/jobs", job("pg-down-2")), true);
    assertUnavailable(RawHttp.get(node, "/api/v1/jobs/pg-down/runs"), true);
    assertBusUnavailable(busFailure("get", new JsonObject().put("id", "pg-down")));

    pg.restore();
    await().atMost(Duration.ofSeconds(30)).until(() -> RawHttp.get(node, "/api/v1/jobs/pg-down").status() == 200);
    assertThat(node.post("/api/v1/jobs", job("pg-down-2")).status()).isEqualTo(201);
  }

  @Test
  void redis_down_fails_health_not_the_api_and_a_trigger_meanwhile_runs_once_redis_is_back() throws Exception {
    assertThat(node.post("/api/v1/jobs", job("redis-down")).status()).isEqualTo(201);
    redis.cut();

    RawHttp.Answer health = RawHttp.get(node, "/health");
    assertThat(health.status()).isEqualTo(503);
    // the run is committed before it is queued: acknowledging it is honest, a retrying client would fire twice
    RawHttp.Answer triggered = RawHttp.send(node, "POST", "/api/v1/jobs/redis-down/trigger", null);
    assertThat(triggered.status()).as(triggered.body()).isEqualTo(202);
    String runId = triggered.json().getString("id");
    assertThat(RawHttp.get(node, "/api/v1/jobs/redis-down").status()).isEqualTo(200);
    assertThat(RawHttp.get(node, "/api/v1/runs/" + runId).json().getString("status")).isEqualTo("PENDING");

    redis.restore();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> "SUCCESS".equals(RawHttp.get(node, "/api/v1/runs/" + runId).json().getString("status")));
    assertThat(RawHttp.get(node, "/api/v1/jobs/redis-down/runs").json().getJsonArray("items")).hasSize(1);
  }

  @Test
  void elasticsearch_down_fails_only_the_logs_endpoints() throws Exception {
    assertThat(node.post("/api/v1/jobs", job("es-down")).status()).isEqualTo(201);
    String runId = RawHttp.send(node, "POST", "/api/v1/jobs/es-down/trigger", null).json().getString("id");
    es.cut();

    assertUnavailable(RawHttp.get(node, "/api/v1/runs/" + runId + "/logs"), true);
    assertThat(RawHttp.get(node, "/api/v1/runs/" + runId).status()).isEqualTo(200);
    assertThat(RawHttp.get(node, "/api/v1/jobs/es-down").status()).isEqualTo(200);
    assertThat(RawHttp.send(node, "POST", "/api/v1/jobs", job("es-down-2")).status()).isEqualTo(201);
    assertThat(RawHttp.send(node, "POST", "/api/v1/jobs/es-down/trigger", null).status()).isEqualTo(202);

    es.restore();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> RawHttp.get(node, "/api/v1/runs/" + runId + "/logs").status() == 200);
  }

  @Test
  void a_hanging_postgres_is_answered_503_unavailable_at_the_request_timeout() throws Exception {
    assertThat(node.post("/api/v1/jobs", job("pg-hangs")).status()).isEqualTo(201);
    pg.hang();

    RawHttp.Answer a = RawHttp.get(node, "/api/v1/jobs/pg-hangs");
    assertUnavailable(a, false);
    assertThat(a.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(REQUEST_TIMEOUT_MS - 100));
    assertBusUnavailable(busFailure("get", new JsonObject().put("id", "pg-hangs")));

    pg.restore();
    await().atMost(Duration.ofSeconds(60)).until(() -> RawHttp.get(node, "/api/v1/jobs/pg-hangs").status() == 200);
  }
}
