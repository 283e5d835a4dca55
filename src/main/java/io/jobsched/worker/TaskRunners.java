package io.jobsched.worker;

import io.jobsched.job.EventBusTask;
import io.jobsched.job.HttpTask;
import io.jobsched.job.NoopTask;
import io.jobsched.job.ShellTask;
import io.jobsched.job.TaskSpec;
import io.vertx.core.Future;

/** Picks the runner for a task kind. */
public final class TaskRunners {
  private final ShellTaskRunner shell;
  private final HttpTaskRunner http;
  private final EventBusTaskRunner eventBus;
  private final NoopTaskRunner noop;

  public TaskRunners(ShellTaskRunner shell, HttpTaskRunner http, EventBusTaskRunner eventBus, NoopTaskRunner noop) {
    this.shell = shell;
    this.http = http;
    this.eventBus = eventBus;
    this.noop = noop;
  }

  TaskRunner forTask(TaskSpec task) {
    if (task instanceof ShellTask) {
      return shell;
    }
    if (task instanceof HttpTask) {
      return http;
    }
    if (task instanceof EventBusTask) {
      return eventBus;
    }
    if (task instanceof NoopTask) {
      return noop;
    }
    // kept for a kind added to the API before a worker knows it (older workers in a rolling upgrade)
    return ctx -> Future.succeededFuture(RunningTask.ended(
        TaskResult.failure(null, "task type " + task.type() + " is not supported by this worker")));
  }
}
