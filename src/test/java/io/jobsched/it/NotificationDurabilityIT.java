package io.jobsched.it;

import io.jobsched.config.JobschedConfig;
import io.jobsched.store.Notifications;
import io.jobsched.store.Pools;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A notification is durable once its run's outcome is: it outlives the node that recorded the outcome, and a
 * dispatcher lost in the middle of a send only delays it (another takes the row over when its lease passes).
 */
class NotificationDurabilityIT {
  /** Deliveries lease a row for 2 × timeout + 5 s: 7 s here. */
  private static final Consumer<JsonObject> FAST = conf -> conf.getJsonObject("notify")
      .put("backoff_ms", 200).put("max_backoff_ms", 1000).put("poll_ms", 100).put("timeout_ms", 1000);

  private static Consumer<JsonObject> roles(String... roles) {
    return FAST.andThen(conf -> conf.getJsonObject("node").put("roles", new JsonArray(List.of((Object[]) roles))));
  }

  private static String job(String id, String url) {
    return "{\"id\":\"" + id + "\",\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"},"
        + "\"notify\":[{\"on\":[\"success\"],\"webhook\":{\"url\":\"" + url + "\"}}]}";
  }

  private static JsonObject notification(TestNode node, String runId) throws Exception {
    JsonArray all = node.get("/api/v1/runs/" + runId).body().getJsonArray("notifications");
    return all == null ? null : all.getJsonObject(0);
  }

  private static String finishedRun(TestNode node, String jobId) {
    return await().atMost(Duration.ofSeconds(60)).until(() -> node.get("/api/v1/jobs/" + jobId + "/runs").body()
        .getJsonArray("items"), items -> items.size() == 1 && "SUCCESS".equals(items.getJsonObject(0).getString("status")))
        .getJsonObject(0).getString("id");
  }

  /**
   * Settled rows older than notify.keep_days go; a pending one stays however old. Ages the rows of the two runs
   * (both sent): "kept" 40 days, "orphaned" 40 days and pending again (due far ahead, so nothing sends it).
   */
  private static void prunesSettledRowsPastKeepDays(String isolation, TestNode node, String kept, String orphaned)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pg = Pools.create(vertx, JobschedConfig.from(TestNode.isolatedConfig(isolation)).postgres());
      await(pg.preparedQuery("UPDATE notifications SET created_at = now() - interval '40 days', "
          + "status = CASE WHEN run_id = $2 THEN 'pending' ELSE status END, next_attempt_at = now() + interval '1 day' "
          + "WHERE run_id IN ($1, $2)").execute(io.vertx.sqlclient.Tuple.of(UUID.fromString(kept), UUID.fromString(orphaned))), 10);
      assertThat(await(new Notifications(pg).prune(30, 100), 10)).isEqualTo(1);
      assertThat(node.get("/api/v1/runs/" + kept).body().containsKey("notifications")).isFalse();
      assertThat(notification(node, orphaned).getString("status")).isEqualTo("pending");
      assertThat(await(new Notifications(pg).prune(30, 100), 10)).as("nothing left to prune").isZero();
    } finally {
      await(vertx.close(), 10);
    }
  }

  @Test
  void a_committed_notification_outlives_its_node_and_a_dispatcher_lost_mid_send() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      String isolation;
      String kept;
      String orphaned;
      // a node that runs jobs but delivers nothing (no reaper role): its outcomes' notifications wait in Postgres
      try (TestNode recorder = TestNode.start("notifydurable", roles("api", "scheduler", "worker"))) {
        isolation = recorder.config().postgres().database();
        recorder.post("/api/v1/jobs", job("kept", receiver.url("/kept")));
        recorder.post("/api/v1/jobs", job("orphaned", receiver.url("/orphaned")));
        kept = finishedRun(recorder, "kept");
        orphaned = finishedRun(recorder, "orphaned");
        JsonObject waiting = notification(recorder, kept);
        assertThat(waiting.getString("status")).isEqualTo("pending");
        assertThat(waiting.getInteger("attempts")).isZero();
      }
      // the recorder is gone. A dispatcher claims "orphaned"'s row and dies before sending (it never reports)
      Vertx vertx = Vertx.vertx();
      try {
        Pool pg = Pools.create(vertx, JobschedConfig.from(TestNode.isolatedConfig(isolation)).postgres());
        List<Notifications.Notification> claimed = await(new Notifications(pg).claimDue(10, 7000), 10);
        assertThat(claimed).extracting(n -> n.runId().toString()).containsExactlyInAnyOrder(kept, orphaned);
        // hand "kept" back at once, as a dispatcher that failed to send would (retry due now)
        UUID keptRow = claimed.stream().filter(n -> n.runId().toString().equals(kept)).findFirst().orElseThrow().id();
        assertThat(await(new Notifications(pg).markAttemptFailed(keptRow, 1, "connection reset", 0L), 10)).isTrue();
      } finally {
        await(vertx.close(), 10);
      }
      // a node with the reaper role, started later, delivers both: "kept" at once, "orphaned" once its lease passed
      try (TestNode dispatcher = TestNode.startIn(isolation, roles("api", "reaper"))) {
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at("/kept").size() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at("/orphaned").size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
            .until(() -> receiver.at("/kept").size() == 1 && receiver.at("/orphaned").size() == 1);
        assertThat(receiver.at("/kept").get(0).json().getJsonObject("run").getString("id")).isEqualTo(kept);
        assertThat(receiver.at("/orphaned").get(0).json().getJsonObject("run").getString("id")).isEqualTo(orphaned);
        await().atMost(Duration.ofSeconds(10)).until(() -> "sent".equals(notification(dispatcher, orphaned).getString("status"))
            && "sent".equals(notification(dispatcher, kept).getString("status")));
        assertThat(notification(dispatcher, orphaned).getInteger("attempts")).as("the lost claim counts").isEqualTo(2);
        assertThat(notification(dispatcher, kept).getInteger("attempts")).isEqualTo(2);
        assertThat(notification(dispatcher, kept).getString("last_error")).isEqualTo("connection reset");
        prunesSettledRowsPastKeepDays(isolation, dispatcher, kept, orphaned);
      }
    }
  }
}
