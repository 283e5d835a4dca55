package io.jobsched.it;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jobsched.it.TestNode.await;

/**
 * A local HTTP endpoint for notification tests (127.0.0.1, a free port): records every request (path,
 * headers, body) and answers 200, or 500 while a path has failures left ({@link #failNext}).
 */
final class WebhookReceiver implements AutoCloseable {
  record Request(String path, MultiMap headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
  private final HttpServer server;

  WebhookReceiver() throws Exception {
    server = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      requests.add(new Request(req.path(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body.toString()));
      AtomicInteger left = failures.get(req.path());
      boolean fail = left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
      req.response().setStatusCode(fail ? 500 : 200).end(fail ? "receiver down" : "ok");
    })).listen(0, "127.0.0.1"), 10);
  }

  /** The URL of {@code path} on this receiver. */
  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** The next {@code n} requests to {@code path} are answered 500 (Integer.MAX_VALUE: always). */
  void failNext(String path, int n) {
    failures.put(path, new AtomicInteger(n));
  }

  List<Request> at(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  @Override
  public void close() throws Exception {
    await(vertx.close(), 10);
  }
}
