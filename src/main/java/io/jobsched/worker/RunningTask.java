package io.jobsched.worker;

import io.vertx.core.Future;

import java.time.Duration;

/** A started task. */
public interface RunningTask {
  /** Completes when the task has ended, however it ended (never fails: errors are a failed TaskResult). */
  Future<TaskResult> result();

  /** Asks the task to stop now and forces it after {@code grace}: SIGTERM then SIGKILL for processes. */
  void stop(Duration grace);
}
