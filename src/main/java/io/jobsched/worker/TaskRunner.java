package io.jobsched.worker;

import io.vertx.core.Future;

/** Starts tasks of one kind. Implementations never block the calling event loop. */
public interface TaskRunner {
  Future<RunningTask> start(TaskContext ctx);
}
