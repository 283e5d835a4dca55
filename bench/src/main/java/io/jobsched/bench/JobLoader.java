package io.jobsched.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/** Loads jobs as a client would: {@code POST /api/v1/jobs/batch}, {@value #BATCH} a request, {@value #LOADERS} in flight. */
final class JobLoader {
  private static final int BATCH = 1000;
  private static final int LOADERS = 4;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  JobLoader(int port) {
    this.port = port;
  }

  /** Jobs 0..n-1, job i as {@code job} makes it; resolves when all were created. */
  void load(int n, IntFunction<JsonObject> job) {
    List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    for (int first = 0; first < n; first += BATCH) {
      JsonArray jobs = new JsonArray();
      for (int i = first; i < Math.min(n, first + BATCH); i++) {
        jobs.add(job.apply(i));
      }
      HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/batch"))
          .header("Content-Type", "application/json").timeout(Duration.ofMinutes(2))
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("jobs", jobs).encode())).build();
      inFlight.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenAccept(resp -> {
        if (resp.statusCode() != 201) {
          String body = resp.body();
          throw new IllegalStateException("batch refused: " + resp.statusCode() + " "
              + (body.length() > 500 ? body.substring(0, 500) + "…" : body));
        }
      }));
      if (inFlight.size() >= LOADERS) {
        inFlight.remove(0).join();
      }
    }
    inFlight.forEach(CompletableFuture::join);
  }
}
