package io.jobsched.notify;

import io.jobsched.job.NotifyTarget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.UUID;

/**
 * Sends one notification to its target: a webhook POST (a 2xx answer is delivered) or an event-bus request
 * (a reply that is not a failure is delivered). Every delivery carries {@code X-Jobsched-Delivery: <id>}
 * (the same on every attempt, for receivers to drop repeats) and its event, and the signature headers when
 * a secret is configured. A failure's message is what the run's notification shows as last_error.
 */
final class Delivery {
  static final String DELIVERY_HEADER = "X-Jobsched-Delivery";
  static final String EVENT_HEADER = "X-Jobsched-Event";
  private static final int ERROR_CHARS = 300;

  private final Vertx vertx;
  private final HttpClient http;
  private final Signature signature;
  private final Clock clock;
  private final long timeoutMs;

  Delivery(Vertx vertx, HttpClient http, Signature signature, Clock clock, long timeoutMs) {
    this.vertx = vertx;
    this.http = http;
    this.signature = signature;
    this.clock = clock;
    this.timeoutMs = timeoutMs;
  }

  Future<Void> send(UUID id, String event, NotifyTarget target, JsonObject payload) {
    String body = payload.encode();
    if (target instanceof NotifyTarget.EventBus bus) {
      DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs)
          .addHeader(DELIVERY_HEADER, id.toString()).addHeader(EVENT_HEADER, event);
      if (signature.enabled()) {
        long ts = clock.instant().getEpochSecond();
        options.addHeader(Signature.TIMESTAMP_HEADER, Long.toString(ts))
            .addHeader(Signature.SIGNATURE_HEADER, signature.sign(ts, body));
      }
      // the body as the JSON text that was signed, decoded: the receiver gets the same JSON object
      return vertx.eventBus().request(bus.address(), new JsonObject(body), options)
          .recover(err -> Future.failedFuture("event bus " + bus.address() + ": " + message(err))).mapEmpty();
    }
    NotifyTarget.Webhook hook = (NotifyTarget.Webhook) target;
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(hook.url())
        .setConnectTimeout(timeoutMs).setIdleTimeout(timeoutMs);
    hook.headers().forEach(options::addHeader);
    // ours last, replacing any of the same name a rule set: receivers must be able to trust them
    options.putHeader("Content-Type", "application/json").putHeader(DELIVERY_HEADER, id.toString())
        .putHeader(EVENT_HEADER, event);
    if (signature.enabled()) {
      long ts = clock.instant().getEpochSecond();
      options.putHeader(Signature.TIMESTAMP_HEADER, Long.toString(ts))
          .putHeader(Signature.SIGNATURE_HEADER, signature.sign(ts, body));
    }
    return http.request(options)
        .compose(req -> req.send(Buffer.buffer(body)))
        .compose(Delivery::accepted)
        .recover(err -> Future.failedFuture(message(err)))
        // a receiver that never answers must not hold the attempt past its lease
        .timeout(timeoutMs * 2, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private static Future<Void> accepted(HttpClientResponse resp) {
    return resp.body().compose(b -> {
      if (resp.statusCode() >= 200 && resp.statusCode() < 300) {
        return Future.succeededFuture();
      }
      String text = b.toString().replaceAll("\\s+", " ").strip();
      return Future.failedFuture("HTTP " + resp.statusCode() + (text.isEmpty() ? "" : ": " + text));
    });
  }

  private static String message(Throwable err) {
    String m = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    return m.length() > ERROR_CHARS ? m.substring(0, ERROR_CHARS) : m;
  }
}
