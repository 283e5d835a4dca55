package io.jobsched.it;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** HTTP for tests that look at more than status and body: headers, raw query strings, any method, timing. */
public final class RawHttp {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** An answer; {@code json} is empty when the body is not a JSON object. */
  public record Answer(int status, HttpResponse<String> response, JsonObject json, Duration elapsed) {
    public Optional<String> header(String name) {
      return response.headers().firstValue(name);
    }

    public String body() {
      return response.body();
    }
  }

  private RawHttp() {
  }

  /** {@code pathAndQuery} is sent as written, so tests can send percent-encoded junk. */
  public static Answer send(TestNode node, String method, String pathAndQuery, String body) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.node().httpPort() + pathAndQuery))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      req.header("Content-Type", "application/json");
    }
    Instant t0 = Instant.now();
    HttpResponse<String> resp = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
    Duration elapsed = Duration.between(t0, Instant.now());
    ContractCheck.check(method, body, resp);
    String text = resp.body();
    JsonObject json = text != null && text.trim().startsWith("{") ? new JsonObject(text) : new JsonObject();
    return new Answer(resp.statusCode(), resp, json, elapsed);
  }

  public static Answer get(TestNode node, String pathAndQuery) throws Exception {
    return send(node, "GET", pathAndQuery, null);
  }
}
