package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's extensions of {@code GET /api/v1/jobs}: {@code ?q=} (id or name contains, any case) and
 * {@code ?include=recent_runs} (each job's newest 30 runs of the last 35 days, newest first); {@code GET
 * /api/v1/whoami} without tokens; the dashboard's files with their security headers. A node with the api role
 * only, so the run rows put in by hand stay as they are.
 */
class JobsListExtrasIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("jobslistextras", conf -> conf.getJsonObject("node")
      .put("roles", new JsonArray().add("api")));

  private static final String JOB = "{\"id\":\"%s\",\"name\":\"%s\",\"schedule\":{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"},"
      + "\"task\":{\"type\":\"noop\"}}";

  private static List<String> ids(TestNode.Reply reply) {
    assertThat(reply.status()).as(reply.body().encode()).isEqualTo(200);
    return reply.body().getJsonArray("items").stream().map(j -> ((JsonObject) j).getString("id")).toList();
  }

  private static String q(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  void q_keeps_jobs_whose_id_or_name_contains_the_text_in_any_case_and_pages_with_the_cursor() throws Exception {
    TestNode node = NODE.get();
    for (String[] job : new String[][] {{"alpha-report", "Report A"}, {"beta-report", "Nightly ALPHA copy"},
        {"gamma", "Gamma"}, {"under_score", "x"}, {"percent", "100% done"}}) {
      assertThat(node.post("/api/v1/jobs", JOB.formatted(job[0], job[1])).status()).isEqualTo(201);
    }
    assertThat(ids(node.get("/api/v1/jobs?q=alpha"))).containsExactly("alpha-report", "beta-report");
    assertThat(ids(node.get("/api/v1/jobs?q=REPORT"))).containsExactly("alpha-report", "beta-report");
    assertThat(ids(node.get("/api/v1/jobs?q=" + q("%")))).as("% is a character, not a wildcard").containsExactly("percent");
    assertThat(ids(node.get("/api/v1/jobs?q=_"))).as("_ is a character, not a wildcard").containsExactly("under_score");
    assertThat(ids(node.get("/api/v1/jobs?q=nothing-like-this"))).isEmpty();

    TestNode.Reply first = node.get("/api/v1/jobs?q=report&limit=1");
    assertThat(ids(first)).containsExactly("alpha-report");
    String cursor = first.body().getString("next_cursor");
    assertThat(ids(node.get("/api/v1/jobs?q=report&limit=1&cursor=" + cursor))).containsExactly("beta-report");
    assertThat(ids(node.get("/api/v1/jobs"))).as("without q: every job").hasSize(5);

    TestNode.Reply tooLong = node.get("/api/v1/jobs?q=" + "x".repeat(201));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.body().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("q");
  }

  @Test
  void include_recent_runs_gives_each_job_its_newest_30_runs_of_the_last_35_days_in_one_answer() throws Exception {
    TestNode node = NODE.get();
    for (String id : List.of("strip-busy", "strip-old", "strip-none")) {
      assertThat(node.post("/api/v1/jobs", JOB.formatted(id, id)).status()).isEqualTo(201);
    }
    Instant hourAgo = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    try (RunRowsFixture runs = new RunRowsFixture(node)) {
      runs.pending("strip-busy", 40, hourAgo);
      runs.pending("strip-busy", 3, Instant.now().plus(Duration.ofHours(1))); // not fired yet: not in the strip
      runs.pending("strip-old", 2, Instant.now().minus(Duration.ofDays(40)));
    }
    TestNode.Reply reply = node.get("/api/v1/jobs?q=strip-&include=recent_runs");
    assertThat(ids(reply)).containsExactly("strip-busy", "strip-none", "strip-old");
    JsonArray items = reply.body().getJsonArray("items");
    JsonArray busy = items.getJsonObject(0).getJsonArray("recent_runs");
    assertThat(busy).hasSize(30);
    List<Instant> fires = busy.stream().map(r -> Instant.parse(((JsonObject) r).getString("scheduled_for"))).toList();
    assertThat(fires.get(0)).as("newest first: the 40th fire").isEqualTo(hourAgo.plusSeconds(39));
    assertThat(fires).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(busy.getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("id", "status", "scheduled_for", "attempt");
    assertThat(busy.getJsonObject(0).getString("status")).isEqualTo("PENDING");
    assertThat(items.getJsonObject(1).getJsonArray("recent_runs")).isEmpty();
    assertThat(items.getJsonObject(2).getJsonArray("recent_runs")).as("older than 35 days").isEmpty();

    assertThat(node.get("/api/v1/jobs?q=strip-").body().getJsonArray("items").getJsonObject(0).containsKey("recent_runs"))
        .as("only when asked for").isFalse();
    TestNode.Reply bad = node.get("/api/v1/jobs?include=everything");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("include");
  }

  @Test
  void whoami_without_tokens_is_the_trusted_admin() throws Exception {
    JsonObject me = NODE.get().get("/api/v1/whoami").body();
    assertThat(me.getString("scope")).isEqualTo("admin");
    assertThat(me.containsKey("namespaces")).isTrue();
    assertThat(me.getValue("namespaces")).isNull();
  }

  @Test
  void the_dashboard_is_served_with_a_strict_content_security_policy() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + NODE.get().node().httpPort();
    for (String path : List.of("/", "/js/app.js", "/app.css", "/vendor/htm-preact-standalone.module.js")) {
      HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(resp.statusCode()).as(path).isEqualTo(200);
      assertThat(resp.headers().firstValue("Content-Security-Policy")).as(path).hasValue("default-src 'self'; "
          + "script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
          + "base-uri 'none'; form-action 'self'");
      assertThat(resp.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(resp.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
      assertThat(resp.headers().firstValue("Cache-Control")).hasValue("no-cache");
    }
    HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(index.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(index.body()).contains("<script type=\"module\" src=\"js/app.js\">").doesNotContain("<style");
    HttpResponse<String> js = http.send(HttpRequest.newBuilder(URI.create(base + "/js/app.js")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(js.headers().firstValue("Content-Type").orElse("")).contains("javascript");
    assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/no-such-file.js")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
  }
}
