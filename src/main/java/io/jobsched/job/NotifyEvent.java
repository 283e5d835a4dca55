package io.jobsched.job;

/** The final outcomes a job's {@code notify} rules can subscribe to, named as the API names them (lower case). */
public enum NotifyEvent {
  SUCCESS, FAILURE, TIMEOUT, SKIPPED;

  public String wire() {
    return name().toLowerCase();
  }
}
