package io.jobsched.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 description of this API, a resource kept true by OpenApiIT
 * (the router's routes and the document's operations match both ways, and every exchange of the integration
 * tests is validated against it).
 */
final class OpenApiRoutes {
  static final String RESOURCE = "openapi/openapi.json";

  private Buffer document;

  /** Reads the document once (from the jar), before the routes serve it. */
  Future<Void> load(Vertx vertx) {
    return vertx.fileSystem().readFile(RESOURCE).onSuccess(b -> document = b).mapEmpty();
  }

  void mount(Router api) {
    api.get("/openapi.json").handler(rc -> rc.response().putHeader("Content-Type", "application/json").end(document));
  }
}
