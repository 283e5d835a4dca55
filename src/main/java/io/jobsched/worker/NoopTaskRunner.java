package io.jobsched.worker;

import io.jobsched.job.NoopTask;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;

/** Does nothing for {@code duration}: for tests and benchmarks of the machinery around tasks. */
public final class NoopTaskRunner implements TaskRunner {
  private final Vertx vertx;

  public NoopTaskRunner(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<RunningTask> start(TaskContext ctx) {
    Duration duration = ((NoopTask) ctx.job().task()).duration();
    Promise<TaskResult> done = Promise.promise();
    long timer = duration.isZero() ? -1 : vertx.setTimer(duration.toMillis(), id -> done.tryComplete(TaskResult.success(null)));
    if (timer < 0) {
      done.complete(TaskResult.success(null));
    }
    return Future.succeededFuture(RunningTask.completedBy(done, () -> vertx.cancelTimer(timer), "stopped"));
  }
}
