package io.jobsched.worker;

import io.vertx.core.Future;

import java.time.Duration;

/** A started task. */
public interface RunningTask {
  /** Completes when the task has ended, however it ended (never fails: errors are a failed TaskResult). */
  Future<TaskResult> result();

  /** Asks the task to stop now and forces it after {@code grace}: SIGTERM then SIGKILL for processes. */
  void stop(Duration grace);

  /** A task that ended before it started (could not be launched, unsupported kind): nothing to stop. */
  static RunningTask ended(TaskResult result) {
    return new RunningTask() {
      @Override
      public Future<TaskResult> result() {
        return Future.succeededFuture(result);
      }

      @Override
      public void stop(Duration grace) {
      }
    };
  }
}
