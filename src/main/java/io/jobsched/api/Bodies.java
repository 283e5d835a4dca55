package io.jobsched.api;

import io.jobsched.service.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Request bodies: a JSON object or a 400 that says what is wrong with it. */
final class Bodies {
  private Bodies() {
  }

  static JsonObject object(RoutingContext rc) {
    Buffer raw = rc.body().buffer();
    if (raw == null || raw.length() == 0) {
      throw new ApiException(400, "invalid_json", "request body is empty; expected a JSON object");
    }
    Object parsed;
    try {
      parsed = raw.toJsonValue();
    } catch (DecodeException e) {
      throw new ApiException(400, "invalid_json", "request body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject obj)) {
      throw new ApiException(400, "invalid_json", "request body must be a JSON object");
    }
    return obj;
  }
}
