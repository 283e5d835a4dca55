package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/v1/logs/search} on the real Elasticsearch: full text over the lines tasks printed, newest
 * first, highlighted, filtered by job, run, stream and time, paged with a cursor that neither repeats nor skips
 * a line, and walled by namespace for namespace-bound tokens.
 */
class LogSearchIT {
  private static final String ADMIN = "admin-token-0123456789";
  private static final String TEAM_A = "team-a-reader-0123456789";

  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("logsearch", conf -> conf.getJsonObject("auth").put("tokens",
      new JsonArray()
          .add(new JsonObject().put("token", ADMIN).put("scope", "admin"))
          .add(new JsonObject().put("token", TEAM_A).put("scope", "read").put("namespaces", new JsonArray().add("team-a")))));

  private static TestNode admin() {
    return NODE.get().as(ADMIN);
  }

  private static String printer(String id, String namespace, String script) {
    return "{\"id\":\"" + id + "\",\"namespace\":\"" + namespace + "\",\"schedule\":{\"type\":\"once\"},"
        + "\"task\":{\"type\":\"shell\",\"command\":[\"/bin/sh\",\"-c\",\"" + script + "\"]}}";
  }

  private static TestNode.Reply search(TestNode as, String query) throws Exception {
    return as.get("/api/v1/logs/search?" + query);
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void finds_words_newest_first_with_highlights_filters_and_pages_within_namespaces() throws Exception {
    assertThat(admin().post("/api/v1/jobs", printer("lines-a", "team-a",
        "for i in $(seq 1 30); do echo \\\"copied file $i of 30\\\"; done; echo \\\"quota exceeded\\\" >&2")).status())
        .isEqualTo(201);
    assertThat(admin().post("/api/v1/jobs", printer("lines-b", "team-b",
        "echo \\\"quota exceeded in team b\\\"")).status()).isEqualTo(201);
    // a day's index is made by the first line: its shard answers 503 unavailable for a moment
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> search(admin(), "q=quota").body()
        .getJsonArray("items").size() == 2 && search(admin(), "q=copied&limit=100").body().getJsonArray("items").size() == 30);

    JsonArray quota = search(admin(), "q=quota+exceeded").body().getJsonArray("items");
    assertThat(quota).hasSize(2);
    JsonObject first = quota.getJsonObject(0);
    assertThat(first.getJsonArray("highlights").getString(0)).contains("<em>quota</em>");
    assertThat(quota.stream().map(o -> ((JsonObject) o).getString("ts")).toList())
        .as("newest first").isSortedAccordingTo(java.util.Comparator.reverseOrder());

    // namespace wall: team-a's token finds only team-a's line, whatever it asks
    JsonArray walled = search(NODE.get().as(TEAM_A), "q=quota").body().getJsonArray("items");
    assertThat(walled).hasSize(1);
    assertThat(walled.getJsonObject(0).getString("job_id")).isEqualTo("lines-a");
    assertThat(search(NODE.get().as(TEAM_A), "q=quota&job_id=lines-b").body().getJsonArray("items")).isEmpty();

    // filters
    assertThat(search(admin(), "q=quota&stream=stderr&job_id=lines-a").body().getJsonArray("items")).hasSize(1);
    assertThat(search(admin(), "q=quota&stream=stdout").body().getJsonArray("items")).hasSize(1);
    String runId = first.getString("run_id");
    assertThat(search(admin(), "run_id=" + runId + "&limit=1000").body().getJsonArray("items")).isNotEmpty()
        .allSatisfy(o -> assertThat(((JsonObject) o).getString("run_id")).isEqualTo(runId));
    assertThat(search(admin(), "q=quota&until=2000-01-01T00:00:00Z").body().getJsonArray("items")).isEmpty();

    // 30 lines in pages of 7: each line once, in order, and the last page says there is no next one
    List<Long> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = search(admin(), "q=copied&limit=7" + (cursor == null ? "" : "&cursor=" + q(cursor))).body();
      page.getJsonArray("items").forEach(o -> seen.add(((JsonObject) o).getLong("seq")));
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(seen).hasSize(30).doesNotHaveDuplicates();
    assertThat(new HashSet<>(seen)).hasSize(30);
    assertThat(seen).isSortedAccordingTo(java.util.Comparator.reverseOrder());

    // bad input: a clear 400 naming the parameter
    TestNode.Reply bad = search(admin(), "q=x&cursor=garbage");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("cursor");
    assertThat(search(admin(), "run_id=nope").status()).isEqualTo(400);
    assertThat(search(admin(), "limit=0").status()).isEqualTo(400);
    assertThat(search(admin(), "stream=both").status()).isEqualTo(400);
  }

}
