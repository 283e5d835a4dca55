package io.jobsched.job;

/** A request to an event-bus address in the cluster; a reply that is not a failure is success. */
public record EventBusTask(String address, Object body) implements TaskSpec {
  @Override
  public String type() {
    return "eventbus";
  }
}
