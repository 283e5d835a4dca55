package io.jobsched.api;

import io.jobsched.service.Caller;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/whoami}: what the presented token may do, so a client (the dashboard) can hide what it
 * would be refused: {@code {"scope":"read|write|admin","name":…,"namespaces":[…]|null,"task_kinds":[…]|null}}.
 * Without configured tokens every caller is trusted: admin, all namespaces. Tells nothing the token's holder
 * does not already know; an unknown token is the usual 401.
 */
final class WhoAmIRoutes {
  private WhoAmIRoutes() {
  }

  static void mount(Router api) {
    api.get("/whoami").handler(WhoAmIRoutes::answer);
  }

  private static void answer(RoutingContext rc) {
    Caller caller = BearerAuth.caller(rc);
    Responses.json(rc, 200, new JsonObject()
        .put("scope", caller.scope().name().toLowerCase())
        .put("name", caller.name())
        .put("namespaces", caller.namespaces() == null ? null : new JsonArray(caller.namespaces().stream().sorted().toList()))
        .put("task_kinds", caller.taskKinds() == null ? null : new JsonArray(caller.taskKinds().stream().sorted().toList())));
  }
}
