package io.jobsched.it;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The http and eventbus task kinds on a real node: an HTTP server of the test's own stands in for the
 * endpoint; event-bus consumers are registered on the node's Vert.x (the node runs in this JVM).
 */
class TaskKindsIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("taskkinds");

  private static final List<String> ENDED = List.of("SUCCESS", "FAILED", "TIMED_OUT", "CANCELLED", "SKIPPED");

  private static Vertx serverVertx;
  private static int port;
  /** Request headers by path, as the endpoint received them. */
  private static final Map<String, MultiMap> received = new ConcurrentHashMap<>();
  /** Paths whose connection was closed before the endpoint answered. */
  private static final Set<String> abandoned = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void startEndpoint() throws Exception {
    serverVertx = Vertx.vertx();
    HttpServer server = serverVertx.createHttpServer().requestHandler(req -> {
      received.put(req.path(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
      switch (req.path()) {
        case "/ok" -> req.body().onSuccess(body -> req.response().end("hello\r\nbody=" + body + "\n"));
        case "/boom" -> req.response().setStatusCode(500).end("kaput: database on fire");
        case "/hang" -> req.response().closeHandler(v -> abandoned.add(req.path()));
        default -> req.response().setStatusCode(404).end();
      }
    });
    port = await(server.listen(0, "127.0.0.1"), 10).actualPort();
  }

  @AfterAll
  static void stopEndpoint() throws Exception {
    await(serverVertx.close(), 10);
  }

  private static String job(String id, String task, String extra) {
    return "{\"id\":\"" + id + "\",\"schedule\":{\"type\":\"once\"},\"task\":" + task + extra + "}";
  }

  private static String http(String method, String url, String headers, String body) {
    return new JsonObject().put("type", "http").put("method", method).put("url", url)
        .put("headers", new JsonObject(headers)).put("body", body).encode();
  }

  private static JsonObject post(String json) throws Exception {
    TestNode.Reply created = NODE.get().post("/api/v1/jobs", json);
    assertThat(created.status()).as(created.body().encode()).isEqualTo(201);
    return created.body();
  }

  /** Waits for the job's single run to end and returns it. */
  private static JsonObject endedRun(String jobId) {
    AtomicReference<JsonObject> run = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      JsonArray items = NODE.get().get("/api/v1/jobs/" + jobId + "/runs").body().getJsonArray("items");
      if (items == null || items.isEmpty()) {
        return false;
      }
      run.set(items.getJsonObject(0));
      return ENDED.contains(run.get().getString("status"));
    });
    return run.get();
  }

  @Test
  void http_2xx_succeeds_with_the_status_as_exit_code_identity_headers_and_the_body_in_the_log() throws Exception {
    post(job("http-ok", http("POST", "http://127.0.0.1:" + port + "/ok",
        "{\"X-Custom\":\"yes\",\"x-jobsched-run-id\":\"spoofed\"}", "ping"), ""));
    JsonObject run = endedRun("http-ok");
    assertThat(run.getString("status")).isEqualTo("SUCCESS");
    assertThat(run.getInteger("exit_code")).isEqualTo(200);

    MultiMap headers = received.get("/ok");
    assertThat(headers.get("X-Custom")).isEqualTo("yes");
    assertThat(headers.getAll("X-Jobsched-Run-Id")).as("a user header cannot override identity")
        .containsExactly(run.getString("id"));
    assertThat(headers.get("X-Jobsched-Job-Id")).isEqualTo("http-ok");
    assertThat(headers.get("X-Jobsched-Attempt")).isEqualTo("1");
    assertThat(headers.get("X-Jobsched-Scheduled-For")).isNotBlank();

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
      JsonArray lines = NODE.get().get("/api/v1/runs/" + run.getString("id") + "/logs").body().getJsonArray("lines");
      return lines != null && lines.stream().map(o -> ((JsonObject) o).getString("line")).toList()
          .equals(List.of("hello", "body=ping"));
    });
  }

  @Test
  void http_500_fails_with_the_status_and_the_start_of_the_body() throws Exception {
    post(job("http-500", http("GET", "http://127.0.0.1:" + port + "/boom", "{}", null), ""));
    JsonObject run = endedRun("http-500");
    assertThat(run.getString("status")).isEqualTo("FAILED");
    assertThat(run.getInteger("exit_code")).isEqualTo(500);
    assertThat(run.getString("error")).contains("HTTP 500").contains("kaput: database on fire");
  }

  @Test
  void an_endpoint_that_never_answers_times_out_and_the_request_is_aborted() throws Exception {
    // a grace of an hour: only a request aborted at once, not after the grace, lets the run end in time
    post(job("http-hang", http("GET", "http://127.0.0.1:" + port + "/hang", "{}", null),
        ",\"timeout\":\"PT1S\",\"on_timeout\":{\"action\":\"fail\",\"grace\":\"PT1H\"}"));
    JsonObject run = endedRun("http-hang");
    assertThat(run.getString("status")).isEqualTo("TIMED_OUT");
    await().atMost(Duration.ofSeconds(30)).until(() -> abandoned.contains("/hang"));
  }

  @Test
  void an_unreachable_url_fails() throws Exception {
    // port 1 on loopback: nothing listens there, the connection is refused at once
    post(job("http-unreachable", http("GET", "http://127.0.0.1:1/", "{}", null), ""));
    JsonObject run = endedRun("http-unreachable");
    assertThat(run.getString("status")).isEqualTo("FAILED");
    assertThat(run.getInteger("exit_code")).isNull();
    assertThat(run.getString("error")).startsWith("http request failed");
  }

  @Test
  void eventbus_reply_succeeds_and_the_consumer_sees_identity_headers_and_the_body() throws Exception {
    AtomicReference<MultiMap> headers = new AtomicReference<>();
    AtomicReference<Object> body = new AtomicReference<>();
    MessageConsumer<Object> consumer = NODE.get().node().vertx().eventBus().consumer("it.tasks.echo", msg -> {
      headers.set(msg.headers());
      body.set(msg.body());
      msg.reply("done");
    });
    await(consumer.completion(), 10);
    try {
      post(job("bus-ok", "{\"type\":\"eventbus\",\"address\":\"it.tasks.echo\",\"body\":{\"n\":1,\"tags\":[\"a\",null]}}", ""));
      JsonObject run = endedRun("bus-ok");
      assertThat(run.getString("status")).isEqualTo("SUCCESS");
      assertThat(body.get()).isEqualTo(new JsonObject().put("n", 1).put("tags", new JsonArray().add("a").addNull()));
      assertThat(headers.get().get("X-Jobsched-Run-Id")).isEqualTo(run.getString("id"));
      assertThat(headers.get().get("X-Jobsched-Job-Id")).isEqualTo("bus-ok");
      assertThat(headers.get().get("X-Jobsched-Attempt")).isEqualTo("1");
    } finally {
      await(consumer.unregister(), 10);
    }
  }

  @Test
  void eventbus_failure_reply_fails_with_its_message_and_code() throws Exception {
    MessageConsumer<Object> consumer = NODE.get().node().vertx().eventBus().consumer("it.tasks.refuse",
        msg -> msg.fail(42, "nope"));
    await(consumer.completion(), 10);
    try {
      post(job("bus-fail", "{\"type\":\"eventbus\",\"address\":\"it.tasks.refuse\",\"body\":\"hi\"}", ""));
      JsonObject run = endedRun("bus-fail");
      assertThat(run.getString("status")).isEqualTo("FAILED");
      assertThat(run.getString("error")).contains("nope");
      assertThat(run.getInteger("exit_code")).isEqualTo(42);
    } finally {
      await(consumer.unregister(), 10);
    }
  }

  @Test
  void eventbus_without_a_consumer_fails() throws Exception {
    post(job("bus-nobody", "{\"type\":\"eventbus\",\"address\":\"it.tasks.nobody\",\"body\":7}", ""));
    JsonObject run = endedRun("bus-nobody");
    assertThat(run.getString("status")).isEqualTo("FAILED");
    assertThat(run.getString("error")).isEqualTo("no consumer at address it.tasks.nobody");
  }
}
