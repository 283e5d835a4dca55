package io.jobsched.it;

import io.jobsched.notify.HmacReference;
import io.jobsched.store.Pools;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Job notifications end to end against a local HTTP receiver: once per final outcome (never per retried
 * attempt), retried while the receiver fails, signed, recorded on the run, and nothing for jobs without rules.
 */
class NotificationsIT {
  private static final String SECRET = "it-notify-secret";

  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("notify", conf -> {
    conf.getJsonObject("notify").put("backoff_ms", 200).put("max_backoff_ms", 1000).put("max_attempts", 4)
        .put("poll_ms", 100).put("timeout_ms", 2000).put("hmac_secret", SECRET);
    // fires a pause held back count as missed after 0.5 s (the misfire test), as in JobsApiIT
    conf.getJsonObject("scheduler").put("misfire_threshold_ms", 500);
  });

  private static final List<String> ENDED = List.of("SUCCESS", "FAILED", "TIMED_OUT", "CANCELLED", "SKIPPED");

  private static WebhookReceiver receiver;
  private static Vertx vertx;
  private static Pool pg;

  @BeforeAll
  static void start() throws Exception {
    receiver = new WebhookReceiver();
    vertx = Vertx.vertx();
    pg = Pools.create(vertx, NODE.get().config().postgres());
  }

  @AfterAll
  static void stop() throws Exception {
    receiver.close();
    await(vertx.close(), 10);
  }

  private static TestNode node() {
    return NODE.get();
  }

  private static String job(String id, String schedule, String task, String extra) {
    return "{\"id\":\"" + id + "\",\"name\":\"Job " + id + "\",\"schedule\":" + schedule + ",\"task\":" + task + extra + "}";
  }

  private static String shell(String script) {
    return "{\"type\":\"shell\",\"command\":[\"/bin/sh\",\"-c\",\"" + script + "\"]}";
  }

  private static String webhook(String events, String path) {
    return ",\"notify\":[{\"on\":[" + events + "],\"webhook\":{\"url\":\"" + receiver.url(path) + "\","
        + "\"headers\":{\"Authorization\":\"Bearer receiver-token\"}}}]";
  }

  private static List<JsonObject> runs(String jobId) throws Exception {
    JsonArray items = node().get("/api/v1/jobs/" + jobId + "/runs?limit=100").body().getJsonArray("items");
    return items.stream().map(o -> (JsonObject) o).sorted(Comparator.comparing(r -> r.getInteger("attempt"))).toList();
  }

  private static List<JsonObject> ended(String jobId, int count) throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> runs(jobId).stream()
        .filter(r -> ENDED.contains(r.getString("status"))).count() >= count);
    return runs(jobId);
  }

  private static JsonObject run(String id) throws Exception {
    return node().get("/api/v1/runs/" + id).body();
  }

  /** A counter of this node's {@code /metrics} (Prometheus text). */
  private static double metric(String name) throws Exception {
    String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + node().node().httpPort() + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElseThrow(() -> new AssertionError(name + " missing"));
  }

  private static long rows(String jobId) throws Exception {
    return await(pg.preparedQuery("SELECT count(*) FROM notifications WHERE job_id = $1").execute(Tuple.of(jobId)), 10)
        .iterator().next().getLong(0);
  }

  @Test
  void a_final_failure_notifies_once_after_the_last_attempt_and_retried_attempts_notify_nothing() throws Exception {
    assertThat(node().post("/api/v1/jobs", job("fails", "{\"type\":\"once\"}", shell("exit 1"),
        ",\"retry\":{\"max_attempts\":3,\"initial_delay\":\"PT0.3S\",\"jitter\":0}" + webhook("\"failure\"", "/fails")))
        .status()).isEqualTo(201);
    List<JsonObject> attempts = ended("fails", 3);
    assertThat(attempts).extracting(r -> r.getString("status")).containsExactly("FAILED", "FAILED", "FAILED");
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at("/fails").size() >= 1);
    // more polling: a second delivery (one per attempt, or a duplicate) would arrive within this
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> receiver.at("/fails").size() == 1);

    JsonObject body = receiver.at("/fails").get(0).json();
    JsonObject last = attempts.get(2);
    assertThat(body.getString("event")).isEqualTo("failure");
    assertThat(body.getJsonObject("job")).isEqualTo(new JsonObject().put("id", "fails").put("name", "Job fails"));
    assertThat(body.getJsonObject("run").getString("id")).isEqualTo(last.getString("id"));
    assertThat(body.getJsonObject("run").getInteger("attempt")).isEqualTo(3);
    assertThat(body.getJsonObject("run").getString("status")).isEqualTo("FAILED");
    assertThat(body.getJsonObject("run").getString("reason")).isEqualTo("retries_exhausted");
    assertThat(receiver.at("/fails").get(0).headers().get("Authorization")).isEqualTo("Bearer receiver-token");

    await().atMost(Duration.ofSeconds(10)).until(() -> "sent".equals(
        run(last.getString("id")).getJsonArray("notifications").getJsonObject(0).getString("status")));
    JsonObject shown = run(last.getString("id")).getJsonArray("notifications").getJsonObject(0);
    assertThat(shown.getString("id")).isEqualTo(body.getString("id"));
    assertThat(shown.getString("event")).isEqualTo("failure");
    assertThat(shown.getString("target")).isEqualTo(receiver.url("/fails"));
    assertThat(shown.getInteger("attempts")).isEqualTo(1);
    assertThat(shown.getString("sent_at")).isNotNull();
    assertThat(run(attempts.get(0).getString("id")).containsKey("notifications")).as("a retried attempt owes none").isFalse();
    assertThat(run(attempts.get(1).getString("id")).containsKey("notifications")).isFalse();
    assertThat(rows("fails")).isEqualTo(1);
  }

  @Test
  void a_success_is_delivered_signed_with_the_run_json_and_a_delivery_id() throws Exception {
    node().post("/api/v1/jobs", job("succeeds", "{\"type\":\"once\"}", "{\"type\":\"noop\"}",
        webhook("\"success\",\"failure\"", "/ok")));
    JsonObject done = ended("succeeds", 1).get(0);
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at("/ok").size() >= 1);
    WebhookReceiver.Request req = receiver.at("/ok").get(0);
    JsonObject body = req.json();
    assertThat(body.getString("event")).isEqualTo("success");
    assertThat(req.headers().get("X-Jobsched-Event")).isEqualTo("success");
    assertThat(req.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(req.headers().get("X-Jobsched-Delivery")).isEqualTo(body.getString("id"));
    // the receiver's check: HMAC-SHA256 over "<timestamp>.<raw body>" with the shared secret
    String ts = req.headers().get("X-Jobsched-Timestamp");
    assertThat(Long.parseLong(ts)).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
    assertThat(req.headers().get("X-Jobsched-Signature")).isEqualTo("sha256=" + HmacReference.hex(SECRET, ts + "." + req.body()));
    assertThat(req.headers().get("X-Jobsched-Signature")).isNotEqualTo("sha256=" + HmacReference.hex("wrong", ts + "." + req.body()));
    // the run as GET /runs/{id} shows it (that adds only the notifications)
    JsonObject asApi = run(done.getString("id"));
    asApi.remove("notifications");
    assertThat(body.getJsonObject("run")).isEqualTo(asApi);
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> receiver.at("/ok").size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> metric("jobsched_notifications_sent_total") >= 1);
  }

  @Test
  void a_failed_delivery_is_retried_with_backoff_until_the_receiver_answers() throws Exception {
    receiver.failNext("/flaky", 2);
    node().post("/api/v1/jobs", job("flaky-receiver", "{\"type\":\"once\"}", "{\"type\":\"noop\"}",
        webhook("\"success\"", "/flaky")));
    String runId = ended("flaky-receiver", 1).get(0).getString("id");
    await().atMost(Duration.ofSeconds(30)).until(() -> run(runId).containsKey("notifications")
        && "sent".equals(run(runId).getJsonArray("notifications").getJsonObject(0).getString("status")));
    JsonObject shown = run(runId).getJsonArray("notifications").getJsonObject(0);
    assertThat(shown.getInteger("attempts")).isEqualTo(3);
    assertThat(shown.getString("last_error")).as("why the earlier attempts failed").startsWith("HTTP 500");
    List<WebhookReceiver.Request> got = receiver.at("/flaky");
    assertThat(got).hasSize(3);
    assertThat(got.stream().map(r -> r.headers().get("X-Jobsched-Delivery")).collect(Collectors.toSet()))
        .as("one delivery id on every attempt").containsExactly(shown.getString("id"));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> receiver.at("/flaky").size() == 3);
  }

  @Test
  void a_receiver_that_never_answers_2xx_is_given_up_after_max_attempts() throws Exception {
    receiver.failNext("/down", Integer.MAX_VALUE);
    node().post("/api/v1/jobs", job("down-receiver", "{\"type\":\"once\"}", "{\"type\":\"noop\"}",
        webhook("\"success\"", "/down")));
    String runId = ended("down-receiver", 1).get(0).getString("id");
    await().atMost(Duration.ofSeconds(30)).until(() -> run(runId).containsKey("notifications")
        && "failed".equals(run(runId).getJsonArray("notifications").getJsonObject(0).getString("status")));
    JsonObject shown = run(runId).getJsonArray("notifications").getJsonObject(0);
    assertThat(shown.getInteger("attempts")).isEqualTo(4);
    assertThat(shown.getString("last_error")).isEqualTo("HTTP 500: receiver down");
    assertThat(shown.getString("sent_at")).isNull();
    assertThat(run(runId).getString("status")).as("the run's own outcome is untouched").isEqualTo("SUCCESS");
    assertThat(metric("jobsched_notifications_failed_total")).isGreaterThanOrEqualTo(1);
    assertThat(metric("jobsched_notification_attempts_failed_total")).isGreaterThanOrEqualTo(4);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> receiver.at("/down").size() == 4);
  }

  @Test
  void a_timeout_that_ends_the_fire_notifies_timeout_once() throws Exception {
    node().post("/api/v1/jobs", job("times-out", "{\"type\":\"once\"}", shell("exec sleep 30"),
        ",\"timeout\":\"PT1S\",\"on_timeout\":{\"action\":\"fail\",\"grace\":\"PT0S\"}"
        + webhook("\"timeout\",\"failure\"", "/timeout")));
    JsonObject run = ended("times-out", 1).get(0);
    assertThat(run.getString("status")).isEqualTo("TIMED_OUT");
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at("/timeout").size() >= 1);
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> receiver.at("/timeout").size() == 1);
    JsonObject body = receiver.at("/timeout").get(0).json();
    assertThat(body.getString("event")).isEqualTo("timeout");
    assertThat(body.getJsonObject("run").getString("id")).isEqualTo(run.getString("id"));
    assertThat(body.getJsonObject("run").getString("status")).isEqualTo("TIMED_OUT");
  }

  @Test
  void an_eventbus_target_gets_the_same_payload_as_a_request() throws Exception {
    ConcurrentLinkedQueue<io.vertx.core.eventbus.Message<Object>> got = new ConcurrentLinkedQueue<>();
    MessageConsumer<Object> consumer = node().node().vertx().eventBus().consumer("it.notify.team", msg -> {
      got.add(msg);
      msg.reply("thanks");
    });
    await(consumer.completion(), 10);
    try {
      node().post("/api/v1/jobs", job("bus-notified", "{\"type\":\"once\"}", shell("exit 3"),
          ",\"notify\":[{\"on\":[\"failure\"],\"eventbus\":{\"address\":\"it.notify.team\"}}]"));
      String runId = ended("bus-notified", 1).get(0).getString("id");
      await().atMost(Duration.ofSeconds(30)).until(() -> run(runId).containsKey("notifications")
          && "sent".equals(run(runId).getJsonArray("notifications").getJsonObject(0).getString("status")));
      assertThat(got).hasSize(1);
      JsonObject body = (JsonObject) got.peek().body();
      assertThat(body.getString("event")).isEqualTo("failure");
      assertThat(body.getJsonObject("run").getString("id")).isEqualTo(runId);
      assertThat(body.getJsonObject("run").getInteger("exit_code")).isEqualTo(3);
      assertThat(got.peek().headers().get("X-Jobsched-Delivery")).isEqualTo(body.getString("id"));
      assertThat(got.peek().headers().get("X-Jobsched-Signature")).startsWith("sha256=");
      assertThat(run(runId).getJsonArray("notifications").getJsonObject(0).getString("target")).isEqualTo("it.notify.team");
    } finally {
      await(consumer.unregister(), 10);
    }
  }

  @Test
  void a_job_without_rules_writes_no_notification_rows_and_its_runs_show_none() throws Exception {
    node().post("/api/v1/jobs", job("quiet", "{\"type\":\"once\"}", shell("exit 1"), ""));
    node().post("/api/v1/jobs", job("quiet-ok", "{\"type\":\"once\"}", "{\"type\":\"noop\"}",
        webhook("\"failure\"", "/never")));
    String failed = ended("quiet", 1).get(0).getString("id");
    String ok = ended("quiet-ok", 1).get(0).getString("id");
    assertThat(rows("quiet")).isZero();
    assertThat(rows("quiet-ok")).as("its rule is for failures; it succeeded").isZero();
    assertThat(run(failed).containsKey("notifications")).isFalse();
    assertThat(run(ok).containsKey("notifications")).isFalse();
    assertThat(receiver.at("/never")).isEmpty();
  }

  @Test
  void fires_skipped_by_the_overlap_policy_notify_skipped_once_each() throws Exception {
    node().post("/api/v1/jobs", job("overlapping", "{\"type\":\"every\",\"interval\":\"PT1S\"}", shell("sleep 2.5"),
        ",\"overlap\":\"forbid\"" + webhook("\"skipped\"", "/skipped")));
    await().atMost(Duration.ofSeconds(60)).until(() -> runs("overlapping").stream()
        .filter(r -> "overlap".equals(r.getString("reason"))).count() >= 2);
    assertThat(node().post("/api/v1/jobs/overlapping/pause", "").status()).isEqualTo(200);
    everySkipIsDeliveredOnce("overlapping", "/skipped");
    assertThat(receiver.at("/skipped")).extracting(r -> r.json().getJsonObject("run").getString("reason")).contains("overlap");
  }

  @Test
  void fires_skipped_by_the_misfire_policy_notify_skipped_once_each() throws Exception {
    node().post("/api/v1/jobs", job("misfiring", "{\"type\":\"every\",\"interval\":\"PT1S\"}", "{\"type\":\"noop\"}",
        ",\"misfire\":{\"policy\":\"skip\"}" + webhook("\"skipped\"", "/misfired")));
    await().atMost(Duration.ofSeconds(30)).until(() -> runs("misfiring").size() >= 2);
    Instant pausedAt = Instant.parse(node().post("/api/v1/jobs/misfiring/pause", "").body().getString("updated_at"));
    // let fires pass while paused: a wait for time to pass, not a synchronisation
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> Instant.now().isAfter(pausedAt.plusSeconds(6)));
    node().post("/api/v1/jobs/misfiring/resume", "");
    await().atMost(Duration.ofSeconds(30)).until(() -> runs("misfiring").stream()
        .filter(r -> "misfire".equals(r.getString("reason"))).count() >= 1);
    node().post("/api/v1/jobs/misfiring/pause", "");
    everySkipIsDeliveredOnce("misfiring", "/misfired");
    assertThat(receiver.at("/misfired")).extracting(r -> r.json().getJsonObject("run").getString("reason")).contains("misfire");
  }

  /**
   * Every SKIPPED run of the job that its policies skipped is delivered once, and nothing else is. A pause's
   * skips (reason paused) are the user's own act and not announced.
   */
  private static void everySkipIsDeliveredOnce(String jobId, String path) throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> skippedIds(jobId).equals(delivered(path)));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15))
        .until(() -> receiver.at(path).size() == skippedIds(jobId).size() && skippedIds(jobId).equals(delivered(path)));
    for (WebhookReceiver.Request r : receiver.at(path)) {
      assertThat(r.json().getString("event")).isEqualTo("skipped");
      assertThat(r.json().getJsonObject("run").getString("status")).isEqualTo("SKIPPED");
    }
  }

  private static Set<String> skippedIds(String jobId) throws Exception {
    return runs(jobId).stream().filter(r -> "SKIPPED".equals(r.getString("status"))
        && !"paused".equals(r.getString("reason"))).map(r -> r.getString("id")).collect(Collectors.toSet());
  }

  private static Set<String> delivered(String path) {
    return receiver.at(path).stream().map(r -> r.json().getJsonObject("run").getString("id")).collect(Collectors.toSet());
  }

  @Test
  void bad_notify_input_is_400_naming_the_field_and_creates_nothing() throws Exception {
    TestNode.Reply bad = node().post("/api/v1/jobs", job("bad-notify", "{\"type\":\"once\"}", "{\"type\":\"noop\"}",
        ",\"notify\":[{\"on\":[\"failure\"],\"webhook\":{\"url\":\"file:///etc/passwd\"}}]"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().getString("error")).isEqualTo("invalid_job");
    assertThat(bad.body().getJsonArray("details").stream().map(d -> ((JsonObject) d).getString("field")))
        .contains("notify[0].webhook.url");
    assertThat(node().get("/api/v1/jobs/bad-notify").status()).isEqualTo(404);
    TestNode.Reply noTarget = node().post("/api/v1/jobs", job("bad-notify", "{\"type\":\"once\"}", "{\"type\":\"noop\"}",
        ",\"notify\":[{\"on\":[\"sometimes\"]}]"));
    assertThat(noTarget.status()).isEqualTo(400);
    assertThat(noTarget.body().getJsonArray("details").stream().map(d -> ((JsonObject) d).getString("field")))
        .contains("notify[0].on[0]", "notify[0]");
  }

  @Test
  void rules_are_returned_by_get_and_recorded_in_the_job_versions() throws Exception {
    String rules = ",\"notify\":[{\"on\":[\"failure\"],\"eventbus\":{\"address\":\"a.b\"}}]";
    node().post("/api/v1/jobs", job("versioned", "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}", "{\"type\":\"noop\"}", rules));
    JsonArray shown = node().get("/api/v1/jobs/versioned").body().getJsonArray("notify");
    assertThat(shown).isEqualTo(new JsonArray("[{\"on\":[\"failure\"],\"eventbus\":{\"address\":\"a.b\"}}]"));
    node().put("/api/v1/jobs/versioned", job("versioned", "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}",
        "{\"type\":\"noop\"}", ""), null);
    JsonObject latest = node().get("/api/v1/jobs/versioned/versions?limit=1").body().getJsonArray("items").getJsonObject(0);
    assertThat(latest.getJsonArray("changed_fields").getList()).containsExactly("notify");
    assertThat(latest.getJsonObject("spec").getJsonArray("notify")).isEmpty();
    JsonObject first = node().get("/api/v1/jobs/versioned/versions/1").body();
    assertThat(first.getJsonObject("spec").getJsonArray("notify")).isEqualTo(shown);
  }

  @Test
  void a_notification_still_owed_when_its_runs_month_goes_cold_is_sent_with_the_run_from_the_cold_tier()
      throws Exception {
    java.time.OffsetDateTime at = java.time.OffsetDateTime.parse("2024-06-15T10:00:00Z");
    await(pg.preparedQuery("SELECT jobsched_ensure_run_partition($1::timestamptz)").execute(Tuple.of(at)), 30);
    java.util.UUID runId = await(pg.preparedQuery("INSERT INTO runs (id, job_id, namespace, scheduled_for, attempt, "
        + "trigger, status, resource_class, task_kind, priority, due_at, started_at, finished_at, exit_code, error) "
        + "VALUES (jobsched_run_id($1), 'gone-cold', 'default', $1, 1, 'schedule', 'FAILED', 'default', 'noop', 0, $1, "
        + "$1, $1 + interval '1 second', 3, 'boom') RETURNING id").execute(Tuple.of(at)), 10).iterator().next().getUUID(0);
    // owed, but not due until the month is archived
    JsonObject target = new JsonObject().put("type", "webhook").put("url", receiver.url("/gone-cold"))
        .put("headers", new JsonObject());
    await(pg.preparedQuery("INSERT INTO notifications (run_id, run_scheduled_for, job_id, rule_index, event, target, "
        + "next_attempt_at) VALUES ($1, $2, 'gone-cold', 0, 'failure', $3::jsonb, now() + interval '1 day')")
        .execute(Tuple.of(runId, at, target.encode())), 10);
    io.jobsched.history.ColdStore cold = new io.jobsched.history.ColdStore(
        java.nio.file.Path.of(node().config().history().coldDir()));
    try {
      io.jobsched.history.RunArchiver archiver = new io.jobsched.history.RunArchiver(vertx, pg,
          new io.jobsched.history.RunArchives(pg), cold, new io.jobsched.history.HistoryTiers(13),
          java.time.Clock.systemUTC(), 100);
      assertThat(await(archiver.sweep(), 120)).contains(java.time.YearMonth.of(2024, 6));
    } finally {
      cold.close();
    }
    assertThat(await(pg.preparedQuery("SELECT count(*) FROM runs WHERE id = $1").execute(Tuple.of(runId)), 10)
        .iterator().next().getLong(0)).as("the run left Postgres").isZero();
    assertThat(run(runId.toString()).getString("tier")).isEqualTo("cold");

    await(pg.preparedQuery("UPDATE notifications SET next_attempt_at = now() WHERE run_id = $1").execute(Tuple.of(runId)), 10);
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at("/gone-cold").size() >= 1);
    JsonObject sent = receiver.at("/gone-cold").get(0).json();
    assertThat(sent.getString("event")).isEqualTo("failure");
    assertThat(sent.getJsonObject("run").getString("id")).isEqualTo(runId.toString());
    assertThat(sent.getJsonObject("run").getString("status")).isEqualTo("FAILED");
    assertThat(sent.getJsonObject("run").getString("error")).isEqualTo("boom");
    assertThat(sent.getJsonObject("run").getString("tier")).isEqualTo("cold");
    await().atMost(Duration.ofSeconds(10)).until(() -> "sent".equals(await(pg.preparedQuery(
        "SELECT status FROM notifications WHERE run_id = $1").execute(Tuple.of(runId)), 10).iterator().next().getString(0)));
  }
}
