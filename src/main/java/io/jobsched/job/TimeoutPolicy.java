package io.jobsched.job;

import java.time.Duration;

/** What happens when a run outlives its timeout; the task is always stopped first (SIGTERM, grace, SIGKILL). */
public record TimeoutPolicy(Action action, String handlerJobId, Duration grace) {
  public enum Action { FAIL, RETRY, HANDLER }
}
