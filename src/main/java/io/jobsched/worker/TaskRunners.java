package io.jobsched.worker;

import io.jobsched.job.NoopTask;
import io.jobsched.job.ShellTask;
import io.jobsched.job.TaskSpec;
import io.vertx.core.Future;

/** Picks the runner for a task kind. */
public final class TaskRunners {
  private final ShellTaskRunner shell;
  private final NoopTaskRunner noop;

  public TaskRunners(ShellTaskRunner shell, NoopTaskRunner noop) {
    this.shell = shell;
    this.noop = noop;
  }

  TaskRunner forTask(TaskSpec task) {
    if (task instanceof ShellTask) {
      return shell;
    }
    if (task instanceof NoopTask) {
      return noop;
    }
    return ctx -> Future.succeededFuture(RunningTask.ended(
        TaskResult.failure(null, "task type " + task.type() + " is not supported by this worker")));
  }
}
