package io.jobsched.it;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A local endpoint that http tasks call: each request is one execution, recorded in a {@link FireLedger} by
 * the run identity the worker sends ({@code X-Jobsched-*} headers) before it is answered 200. Much cheaper
 * per execution than a shell task's fork, so a test can run hundreds of fires a second on a small machine.
 */
final class HttpExecutions implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  HttpExecutions(FireLedger ledger) throws Exception {
    server = TestNode.await(vertx.createHttpServer().requestHandler(req -> {
      var h = req.headers();
      ledger.completed(h.get("X-Jobsched-Job-Id"), h.get("X-Jobsched-Run-Id"),
          Integer.parseInt(h.get("X-Jobsched-Attempt")), Instant.parse(h.get("X-Jobsched-Scheduled-For")));
      req.response().end();
    }).listen(0, "127.0.0.1"), 10);
  }

  /** An http task that calls this endpoint. */
  JsonObject task() {
    return new JsonObject().put("type", "http").put("method", "POST")
        .put("url", "http://127.0.0.1:" + server.actualPort() + "/execute");
  }

  @Override
  public void close() throws Exception {
    TestNode.await(vertx.close(), 10);
  }
}
