package io.jobsched.worker;

import io.jobsched.job.EventBusTask;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Sends a request to an event-bus address (anywhere in the cluster); a reply that is not a failure is success. */
public final class EventBusTaskRunner implements TaskRunner {
  /**
   * The send timeout outlasts the job's timeout by this much, so a silent consumer ends TIMED_OUT through
   * the worker's own timeout (which applies on_timeout) rather than as a plain reply timeout.
   */
  static final long REPLY_SLACK_MS = 5_000;

  private final Vertx vertx;

  public EventBusTaskRunner(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<RunningTask> start(TaskContext ctx) {
    EventBusTask task = (EventBusTask) ctx.job().task();
    long sendTimeout = ctx.job().timeout().toMillis() + REPLY_SLACK_MS;
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(sendTimeout);
    IdentityHeaders.of(ctx).forEach(options::addHeader);
    Promise<TaskResult> done = Promise.promise();
    try {
      vertx.eventBus().<Object>request(task.address(), body(task.body()), options).onComplete(ar -> {
        if (ar.succeeded()) {
          logReply(ar.result(), ctx.logs());
          done.tryComplete(TaskResult.success(null));
        } else {
          done.tryComplete(failure(task.address(), sendTimeout, ar.cause()));
        }
      });
    } catch (RuntimeException e) {
      return Future.succeededFuture(RunningTask.ended(TaskResult.failure(null, "cannot send: " + e.getMessage())));
    }
    // a sent message cannot be recalled: a stopped run ends now and a late reply is ignored
    return Future.succeededFuture(RunningTask.completedBy(done, () -> { }, "aborted"));
  }

  /**
   * The job's JSON body as a type the event bus has a codec for: objects and arrays as Vert.x JSON,
   * strings, booleans and ordinary numbers as they are, anything else (a huge number) as its text.
   */
  static Object body(Object body) {
    if (body == null || body instanceof String || body instanceof Boolean || body instanceof Integer
        || body instanceof Long || body instanceof Double || body instanceof Float
        || body instanceof JsonObject || body instanceof JsonArray) {
      return body;
    }
    if (body instanceof Map<?, ?> map) {
      return new JsonObject(stringKeyed(map));
    }
    if (body instanceof List<?> list) {
      return new JsonArray(new ArrayList<>(list)); // JSON arrays may hold nulls: no List.copyOf
    }
    return body.toString();
  }

  /** JSON object keys are strings; TaskCodec hands over the map of a parsed JSON object. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> stringKeyed(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  private static void logReply(Message<Object> reply, LogSink logs) {
    if (reply.body() != null) {
      TextLines.log(logs, String.valueOf(reply.body()), null);
    }
  }

  static TaskResult failure(String address, long sendTimeoutMs, Throwable err) {
    if (err instanceof ReplyException re) {
      return switch (re.failureType()) {
        case NO_HANDLERS -> TaskResult.failure(null, "no consumer at address " + address);
        case TIMEOUT -> TaskResult.failure(null, "no reply from " + address + " within " + sendTimeoutMs + " ms");
        case RECIPIENT_FAILURE -> TaskResult.failure(re.failureCode(),
            (re.getMessage() == null ? "consumer failed" : re.getMessage()) + " (failure code " + re.failureCode() + ")");
        default -> TaskResult.failure(null, "request to " + address + " failed: " + re.getMessage());
      };
    }
    return TaskResult.failure(null, "request to " + address + " failed: " + err.getMessage());
  }
}
