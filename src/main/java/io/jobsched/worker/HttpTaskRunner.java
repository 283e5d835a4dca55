package io.jobsched.worker;

import io.jobsched.job.HttpTask;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;

/** Sends a task's HTTP request with the run's identity headers; a 2xx answer is success, its status the exit code. */
public final class HttpTaskRunner implements TaskRunner {
  /** Shared by every run: pooled connections, one place to size the pool. */
  private final HttpClient client;

  public HttpTaskRunner(HttpClient client) {
    this.client = client;
  }

  @Override
  public Future<RunningTask> start(TaskContext ctx) {
    HttpTask task = (HttpTask) ctx.job().task();
    HttpCall call = new HttpCall();
    try {
      call.begin(client, task, ctx);
    } catch (RuntimeException e) {
      // a header value the client refuses (e.g. a control character) must fail the run, not the worker
      return Future.succeededFuture(RunningTask.ended(TaskResult.failure(null, "cannot send request: " + e.getMessage())));
    }
    return Future.succeededFuture(call);
  }
}
