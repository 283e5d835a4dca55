package io.jobsched.job;

/** What a run executes. */
public sealed interface TaskSpec permits ShellTask, HttpTask, EventBusTask, NoopTask {
  /** The API name: shell, http, eventbus, noop. */
  String type();
}
