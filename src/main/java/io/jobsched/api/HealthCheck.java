package io.jobsched.api;

import io.jobsched.logs.EsLogStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;

import java.util.concurrent.TimeUnit;

/** Liveness plus the state of each dependency; 503 when one is down, so load balancers and humans see it. */
public final class HealthCheck {
  private static final long TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final Pool pg;
  private final Redis redis;
  private final EsLogStore es;

  public HealthCheck(Vertx vertx, Pool pg, Redis redis, EsLogStore es) {
    this.vertx = vertx;
    this.pg = pg;
    this.redis = redis;
    this.es = es;
  }

  /** {@code GET /health}: 200 when every dependency is up, 503 otherwise, with each one's state. */
  void mount(Router root) {
    root.get("/health").handler(rc -> check()
        .onSuccess(h -> Responses.json(rc, "up".equals(h.getString("status")) ? 200 : 503, h)));
  }

  /** Resolves to {status, checks:{postgres, redis, elasticsearch}}; never fails. */
  Future<JsonObject> check() {
    Future<String> p = probe(pg.query("SELECT 1").execute().mapEmpty());
    Future<String> r = probe(redis.send(Request.cmd(Command.PING)).mapEmpty());
    Future<String> e = probe(es.ping().mapEmpty());
    return Future.join(p, r, e).transform(ar -> {
      JsonObject checks = new JsonObject().put("postgres", p.result()).put("redis", r.result())
          .put("elasticsearch", e.result());
      boolean up = checks.stream().allMatch(c -> "up".equals(c.getValue()));
      return Future.succeededFuture(new JsonObject().put("status", up ? "up" : "degraded").put("checks", checks));
    });
  }

  private Future<String> probe(Future<Void> op) {
    return op.timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(v -> "up")
        .otherwise(err -> "down: " + err.getMessage());
  }
}
