package io.jobsched.worker;

import io.jobsched.job.HttpTask;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP request of a run. The client calls back on the context that started it (the worker's event
 * loop), the same one that calls {@link #stop}; the fields are volatile only as a guard.
 */
final class HttpCall implements RunningTask {
  /** Only this much of a body is kept: it is logged and quoted, never parsed. */
  static final int MAX_BODY_BYTES = 64 * 1024;
  static final int ERROR_BODY_CHARS = 200;

  private final Promise<TaskResult> done = Promise.promise();
  private volatile HttpClientRequest request;
  private volatile boolean stopped;

  void begin(HttpClient client, HttpTask task, TaskContext ctx) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(task.method()))
        .setAbsoluteURI(task.url().toString());
    task.headers().forEach((name, value) -> {
      if (!IdentityHeaders.isReserved(name)) {
        options.addHeader(name, value);
      }
    });
    IdentityHeaders.of(ctx).forEach(options::putHeader);
    client.request(options)
        .compose(req -> {
          request = req;
          if (stopped) {
            req.reset();
            return Future.failedFuture("aborted");
          }
          return task.body() == null ? req.send() : req.send(task.body());
        })
        .compose(resp -> read(resp, ctx.logs()))
        .onComplete(ar -> done.tryComplete(ar.succeeded() ? ar.result()
            : TaskResult.failure(null, "http request failed: " + describe(ar.cause()))));
  }

  /** Streams the body so a huge answer costs at most {@link #MAX_BODY_BYTES} of memory. */
  private static Future<TaskResult> read(HttpClientResponse resp, LogSink logs) {
    Promise<TaskResult> read = Promise.promise();
    Buffer kept = Buffer.buffer();
    long[] total = {0};
    resp.handler(chunk -> {
      total[0] += chunk.length();
      int room = MAX_BODY_BYTES - kept.length();
      if (room > 0) {
        kept.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
      }
    });
    resp.exceptionHandler(read::tryFail);
    resp.endHandler(v -> {
      String text = new String(kept.getBytes(), StandardCharsets.UTF_8);
      TextLines.log(logs, text, total[0] > kept.length()
          ? "[jobsched: response body cut after " + kept.length() + " of " + total[0] + " bytes]" : null);
      read.tryComplete(result(resp.statusCode(), resp.statusMessage(), text));
    });
    return read.future();
  }

  static TaskResult result(int status, String statusMessage, String body) {
    if (status >= 200 && status < 300) {
      return TaskResult.success(status);
    }
    String snippet = body.length() > ERROR_BODY_CHARS ? body.substring(0, ERROR_BODY_CHARS) : body;
    snippet = snippet.replaceAll("\\s+", " ").strip();
    String line = "HTTP " + status + (statusMessage == null || statusMessage.isBlank() ? "" : " " + statusMessage);
    return TaskResult.failure(status, snippet.isEmpty() ? line : line + ": " + snippet);
  }

  private static String describe(Throwable err) {
    return err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
  }

  @Override
  public Future<TaskResult> result() {
    return done.future();
  }

  /** No grace for a request: the peer cannot finish cleanly, so the connection is closed at once. */
  @Override
  public void stop(Duration grace) {
    stopped = true;
    done.tryComplete(TaskResult.failure(null, "aborted"));
    HttpClientRequest req = request;
    if (req != null) {
      req.reset();
    }
  }
}
