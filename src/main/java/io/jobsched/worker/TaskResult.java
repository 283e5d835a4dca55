package io.jobsched.worker;

/** How a task ended on its own terms (exit code 0 / 2xx / a reply); timeouts and cancels are decided by the caller. */
public record TaskResult(boolean succeeded, Integer exitCode, String error) {
  public static TaskResult success(Integer exitCode) {
    return new TaskResult(true, exitCode, null);
  }

  public static TaskResult failure(Integer exitCode, String error) {
    return new TaskResult(false, exitCode, error);
  }
}
