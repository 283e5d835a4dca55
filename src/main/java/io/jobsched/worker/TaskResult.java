package io.jobsched.worker;

/**
 * How a task ended on its own terms (exit code 0 / 2xx / a reply); timeouts and cancels are decided by the caller.
 * {@code reason}: why it failed when that has a name of its own ({@code out_of_memory}), else null.
 */
public record TaskResult(boolean succeeded, Integer exitCode, String error, String reason) {
  public static final String OUT_OF_MEMORY = "out_of_memory";

  public TaskResult(boolean succeeded, Integer exitCode, String error) {
    this(succeeded, exitCode, error, null);
  }

  public static TaskResult success(Integer exitCode) {
    return new TaskResult(true, exitCode, null);
  }

  public static TaskResult failure(Integer exitCode, String error) {
    return new TaskResult(false, exitCode, error);
  }

  /** Killed by the kernel at its run's memory limit. */
  public static TaskResult outOfMemory(Integer exitCode, int memoryMb) {
    return new TaskResult(false, exitCode, OUT_OF_MEMORY + ": killed at its memory limit of " + memoryMb + " MiB",
        OUT_OF_MEMORY);
  }
}
