package io.jobsched.api;

import io.jobsched.job.FieldError;
import io.jobsched.service.ApiException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Writes JSON bodies and API.md's error shape. */
final class Responses {
  private static final Logger log = LoggerFactory.getLogger(Responses.class);

  private Responses() {
  }

  static void json(RoutingContext rc, int status, JsonObject body) {
    if (rc.response().ended()) {
      return;
    }
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(body.toBuffer());
  }

  static void error(RoutingContext rc, int status, String code, String message, List<FieldError> details) {
    json(rc, status, ErrorBodies.of(code, message, details));
  }

  /**
   * Maps any failure to the error shape: a backend outage ({@link Outages}) is 503 {@code unavailable} with
   * {@code Retry-After}; unexpected failures are logged and answered 500 without internals.
   */
  static void failure(RoutingContext rc, Throwable err) {
    if (err instanceof ApiException api) {
      error(rc, api.status(), api.code(), api.getMessage(), api.details());
    } else if (Outages.isOutage(err)) {
      log.warn("{} {}: backend unavailable: {}", rc.request().method(), rc.request().path(), rootMessage(err));
      unavailable(rc, "a backend service is unavailable; retry after " + Outages.RETRY_AFTER_SECONDS + " s");
    } else if (err instanceof IllegalArgumentException iae) {
      error(rc, 400, "invalid_request", iae.getMessage(), List.of());
    } else {
      log.error("{} {} failed", rc.request().method(), rc.request().path(), err);
      error(rc, 500, "internal", "internal error; see the node's log", List.of());
    }
  }

  /** 503 {@code unavailable} with {@code Retry-After}: the request may succeed if repeated later. */
  static void unavailable(RoutingContext rc, String message) {
    if (!rc.response().headWritten()) {
      rc.response().putHeader("Retry-After", String.valueOf(Outages.RETRY_AFTER_SECONDS));
    }
    error(rc, 503, "unavailable", message, List.of());
  }

  private static String rootMessage(Throwable err) {
    Throwable t = err;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
