package io.jobsched.it;

import io.jobsched.config.JobschedConfig;
import io.jobsched.logs.EsLogStore;
import io.jobsched.logs.LogRetention;
import io.jobsched.logs.LogRetentionSweep;
import io.jobsched.logs.LogSnapshots;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Log retention on the real Elasticsearch: a node's indexer deletes the daily log indices whose day ended
 * more than {@code logs.hot_days} ago, and keeps the recent days and anything that is not a day index of
 * its prefix. With {@code logs.snapshot_dir}, an aged index is deleted only after its snapshot succeeded, and
 * the snapshot restores every line.
 */
class LogRetentionIT {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu.MM.dd");
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void daily_indices_older_than_the_hot_days_are_deleted_and_the_rest_kept() throws Exception {
    String isolation = TestNode.newIsolation("logretention");
    JsonObject conf = TestNode.isolatedConfig(isolation);
    String es = conf.getJsonObject("elasticsearch").getString("url");
    String prefix = conf.getJsonObject("elasticsearch").getString("index_prefix");
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    List<String> aged = List.of(prefix + "-" + DAY.format(today.minusDays(40)), prefix + "-2019.01.01");
    List<String> kept = List.of(prefix + "-" + DAY.format(today), prefix + "-" + DAY.format(today.minusDays(1)),
        prefix + "-archive");
    for (String index : concat(aged, kept)) {
      assertThat(send(es, "PUT", index)).as("creating " + index).isEqualTo(200);
    }

    TestNode.createDatabase(JobschedConfig.from(conf).postgres(), isolation);
    try (TestNode node = TestNode.startIn(isolation, c -> c.getJsonObject("logs").put("hot_days", 7))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> aged.stream().allMatch(i -> exists(es, i) == 404));
      for (String index : kept) {
        assertThat(exists(es, index)).as(index + " kept").isEqualTo(200);
      }
      assertThat(node.get("/health").status()).isEqualTo(200);
    }
  }

  @Test
  void with_a_snapshot_dir_an_aged_index_is_snapshotted_before_it_is_deleted_and_restores_whole() throws Exception {
    String isolation = TestNode.newIsolation("logsnapshot");
    JsonObject conf = TestNode.isolatedConfig(isolation);
    String es = conf.getJsonObject("elasticsearch").getString("url");
    String prefix = conf.getJsonObject("elasticsearch").getString("index_prefix");
    String aged = prefix + "-" + DAY.format(LocalDate.now(ZoneOffset.UTC).minusDays(40));
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < 25; i++) {
      bulk.append("{\"index\":{}}\n{\"line\":\"line ").append(i).append("\"}\n");
    }
    assertThat(send(es, "POST", aged + "/_bulk?refresh=true", bulk.toString()).statusCode()).isEqualTo(200);
    String repo = prefix + "-snapshots";
    // the folder Elasticsearch was started to allow (scripts/services.sh gives it path.repo)
    JsonObject settings = new JsonObject(send(es, "GET", "_nodes/settings?filter_path=nodes.*.settings.path.repo", null).body());
    String pathRepo = settings.getJsonObject("nodes").stream().findFirst()
        .map(n -> ((JsonObject) n.getValue()).getJsonObject("settings").getJsonObject("path").getValue("repo"))
        .map(v -> v instanceof io.vertx.core.json.JsonArray a ? a.getString(0) : (String) v).orElseThrow();

    TestNode.createDatabase(JobschedConfig.from(conf).postgres(), isolation);
    try {
      // a folder Elasticsearch may not write: the sweep fails and the index is kept
      io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
      try (EsLogStore store = new EsLogStore(vertx, es, prefix)) {
        LogRetentionSweep sweep = new LogRetentionSweep(store, new LogRetention(prefix, 7),
            new LogSnapshots(store, repo, "/nonexistent-" + isolation), java.time.Clock.systemUTC());
        assertThat(TestNode.await(sweep.sweep().map(d -> (Throwable) null).otherwise(err -> err), 60))
            .as("the sweep fails").isNotNull();
        assertThat(exists(es, aged)).as("kept without a snapshot").isEqualTo(200);
      } finally {
        TestNode.await(vertx.close(), 10);
      }
      try (TestNode node = TestNode.startIn(isolation, c -> c.getJsonObject("logs").put("hot_days", 7)
          .put("snapshot_dir", pathRepo + "/" + isolation))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> exists(es, aged) == 404);
      }
      JsonObject snap = new JsonObject(send(es, "GET", "_snapshot/" + repo + "/" + aged, null).body());
      assertThat(snap.getJsonArray("snapshots").getJsonObject(0).getString("state")).isEqualTo("SUCCESS");
      String restored = aged + "-restored";
      assertThat(send(es, "POST", "_snapshot/" + repo + "/" + aged + "/_restore?wait_for_completion=true",
          new JsonObject().put("indices", aged).put("rename_pattern", "(.+)").put("rename_replacement", "$1-restored")
              .encode()).statusCode()).isEqualTo(200);
      send(es, "POST", restored + "/_refresh", null);
      JsonObject count = new JsonObject(send(es, "GET", restored + "/_count", null).body());
      assertThat(count.getLong("count")).isEqualTo(25);
      send(es, "DELETE", restored, null);
    } finally {
      send(es, "DELETE", "_snapshot/" + repo + "/*", null);
      send(es, "DELETE", "_snapshot/" + repo, null);
      send(es, "DELETE", aged, null);
    }
  }

  private HttpResponse<String> send(String es, String method, String path, String json) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(es + "/" + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", json != null && path.endsWith("_bulk?refresh=true") ? "application/x-ndjson" : "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
        .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private int exists(String es, String index) {
    try {
      return send(es, "HEAD", index);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private int send(String es, String method, String index) throws Exception {
    return send(es, method, index, null).statusCode();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
