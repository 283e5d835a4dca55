package io.jobsched.worker;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.time.Duration;

/** A started task. */
public interface RunningTask {
  /** Completes when the task has ended, however it ended (never fails: errors are a failed TaskResult). */
  Future<TaskResult> result();

  /** Asks the task to stop now and forces it after {@code grace}: SIGTERM then SIGKILL for processes. */
  void stop(Duration grace);

  /**
   * A task whose end is {@code done}: stopping it runs {@code onStop} and ends it at once as a failure with
   * {@code stopReason} (an outcome that arrives later is ignored).
   */
  static RunningTask completedBy(Promise<TaskResult> done, Runnable onStop, String stopReason) {
    return new RunningTask() {
      @Override
      public Future<TaskResult> result() {
        return done.future();
      }

      @Override
      public void stop(Duration grace) {
        onStop.run();
        done.tryComplete(TaskResult.failure(null, stopReason));
      }
    };
  }

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
