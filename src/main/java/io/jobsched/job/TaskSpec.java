package io.jobsched.job;

/** What a run executes. */
public sealed interface TaskSpec permits ShellTask, HttpTask, EventBusTask, NoopTask {
  /** Every kind's API name. */
  java.util.List<String> KINDS = java.util.List.of("shell", "http", "eventbus", "noop");

  /** The API name: shell, http, eventbus, noop. */
  String type();
}
