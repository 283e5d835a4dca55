package io.jobsched.api;

import io.jobsched.worker.WorkerRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;

/** {@code GET /api/v1/workers}: the live workers of the cluster, from the registry they announce to. */
final class WorkerRoutes {
  private final WorkerRegistry registry;
  private final Clock clock;

  WorkerRoutes(WorkerRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  void mount(Router api) {
    api.get("/workers").handler(this::list);
  }

  private void list(RoutingContext rc) {
    registry.live(clock.instant())
        .onSuccess(live -> Responses.json(rc, 200, new JsonObject().put("items", new JsonArray(live))))
        .onFailure(err -> Responses.failure(rc, err));
  }
}
