package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/** Straight questions to Elasticsearch about what the indexer wrote, bypassing the node's API. */
final class EsQuery {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private EsQuery() {
  }

  /** The run ids of every indexed line containing {@code phrase} in {@code indexPattern} (at most 10,000 lines). */
  static Set<String> runIdsWithLine(String indexPattern, String phrase) throws Exception {
    send("POST", indexPattern + "/_refresh", null);
    JsonObject query = new JsonObject().put("size", 10_000).put("_source", new JsonArray().add("run_id"))
        .put("query", new JsonObject().put("match_phrase", new JsonObject().put("line", phrase)));
    JsonObject answer = new JsonObject(send("POST", indexPattern + "/_search", query.encode()));
    Set<String> runIds = new HashSet<>();
    for (Object hit : answer.getJsonObject("hits").getJsonArray("hits")) {
      runIds.add(((JsonObject) hit).getJsonObject("_source").getString("run_id"));
    }
    return runIds;
  }

  private static String send(String method, String url, String body) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      req.header("Content-Type", "application/json");
    }
    HttpResponse<String> resp = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + url + ": " + resp.statusCode() + " " + resp.body());
    }
    return resp.body();
  }
}
