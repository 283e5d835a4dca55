package io.jobsched.api;

import io.jobsched.api.json.JsonFields;
import io.jobsched.api.json.RunJson;
import io.jobsched.api.json.StoredJobJson;
import io.jobsched.service.ApiException;
import io.jobsched.service.Caller;
import io.jobsched.service.JobService;
import io.jobsched.service.ManualTrigger;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The jobs API for in-cluster producers: address {@code jobsched.jobs}, header {@code action}, the same
 * JSON bodies and replies as REST. A failure reply carries the HTTP status as its code and API.md's
 * error object, encoded, as its message; a backend outage (or no answer within the timeout) is code 503
 * {@code unavailable}. Callers on the cluster bus are trusted (the bus is inside the
 * cluster's trust boundary; REST is where tokens are checked).
 */
public final class EventBusApiVerticle extends VerticleBase {
  public static final String ADDRESS = "jobsched.jobs";
  private static final Logger log = LoggerFactory.getLogger(EventBusApiVerticle.class);

  private final JobService jobs;
  private final ManualTrigger trigger;
  private final long timeoutMs;

  /** {@code timeoutMs}: a request not done by then fails 503, like REST's {@code http.request_timeout_ms}. */
  public EventBusApiVerticle(JobService jobs, ManualTrigger trigger, long timeoutMs) {
    this.jobs = jobs;
    this.trigger = trigger;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<Object>consumer(ADDRESS, this::handle).completion();
  }

  private void handle(Message<Object> msg) {
    Future<JsonObject> reply;
    try {
      if (!(msg.body() instanceof JsonObject body)) {
        throw new ApiException(400, "invalid_json", "the message body must be a JSON object");
      }
      reply = dispatch(String.valueOf(msg.headers().get("action")), body);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.timeout(timeoutMs, TimeUnit.MILLISECONDS).onSuccess(msg::reply).onFailure(err -> fail(msg, err));
  }

  private Future<JsonObject> dispatch(String action, JsonObject body) {
    return switch (action) {
      case "create" -> jobs.create(Caller.TRUSTED, JobRequests.one(body, null)).map(StoredJobJson::toJson);
      case "replace" -> jobs.upsert(Caller.TRUSTED, id(body), JobRequests.one(body, id(body)), null).map(u -> StoredJobJson.toJson(u.job()));
      case "get" -> jobs.get(Caller.TRUSTED, id(body)).map(StoredJobJson::toJson);
      case "delete" -> jobs.delete(Caller.TRUSTED, id(body)).map(v -> new JsonObject().put("id", body.getString("id")).put("deleted", true));
      case "pause" -> jobs.setPaused(Caller.TRUSTED, id(body), true).map(StoredJobJson::toJson);
      case "resume" -> jobs.setPaused(Caller.TRUSTED, id(body), false).map(StoredJobJson::toJson);
      case "rollback" -> jobs.rollback(Caller.TRUSTED, id(body), JobRequests.rollbackVersion(without(body, "id")))
          .map(u -> StoredJobJson.toJson(u.job()));
      case "trigger" -> trigger.trigger(Caller.TRUSTED, id(body), Boolean.TRUE.equals(body.getValue("force"))).map(RunJson::toJson);
      case "list" -> jobs.list(Caller.TRUSTED, body.getString("namespace"), (Boolean) body.getValue("paused"),
              body.getJsonObject("labels"), null, body.getString("cursor"), body.getInteger("limit", 50))
          .map(page -> JobRoutes.jobsJson(page, null));
      default -> throw new ApiException(400, "unknown_action",
          "header action must be one of create, replace, get, list, delete, pause, resume, rollback, trigger; got "
              + action);
    };
  }

  private static JsonObject without(JsonObject body, String field) {
    JsonObject copy = body.copy();
    copy.remove(field);
    return copy;
  }

  private static String id(JsonObject body) {
    if (!(body.getValue("id") instanceof String id) || id.isEmpty()) {
      throw ApiException.badRequest("id", "required");
    }
    if (!JsonFields.ID.matcher(id).matches()) {
      throw ApiException.badRequest("id", "must match " + JsonFields.ID.pattern());
    }
    return id;
  }

  private static void fail(Message<Object> msg, Throwable err) {
    if (err instanceof ApiException api) {
      msg.fail(api.status(), ErrorBodies.of(api).encode());
    } else if (Outages.isOutage(err)) {
      log.warn("event-bus jobs request: backend unavailable: {}", err.toString());
      msg.fail(503, ErrorBodies.of("unavailable", "a backend service is unavailable; retry after "
          + Outages.RETRY_AFTER_SECONDS + " s", List.of()).encode());
    } else if (err instanceof ClassCastException) {
      msg.fail(400, ErrorBodies.of("invalid_request", "a field has the wrong type", List.of()).encode());
    } else {
      log.error("event-bus jobs request failed", err);
      msg.fail(500, ErrorBodies.of("internal", "internal error; see the node's log", List.of()).encode());
    }
  }
}
