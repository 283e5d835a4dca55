package io.jobsched.api;

import io.jobsched.job.FieldError;
import io.jobsched.service.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** API.md's error object, the same on REST and the event bus. */
final class ErrorBodies {
  private ErrorBodies() {
  }

  static JsonObject of(String code, String message, List<FieldError> details) {
    JsonArray d = new JsonArray();
    details.forEach(f -> d.add(new JsonObject().put("field", f.field()).put("message", f.message())));
    return new JsonObject().put("error", code).put("message", message).put("details", d);
  }

  static JsonObject of(ApiException e) {
    return of(e.code(), e.getMessage(), e.details());
  }
}
