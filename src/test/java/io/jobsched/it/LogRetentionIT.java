package io.jobsched.it;

import io.jobsched.config.JobschedConfig;
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
 * its prefix.
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

  private int exists(String es, String index) {
    try {
      return send(es, "HEAD", index);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private int send(String es, String method, String index) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(es + "/" + index)).timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
