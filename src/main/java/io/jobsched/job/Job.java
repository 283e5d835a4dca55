package io.jobsched.job;

import java.time.Duration;
import java.util.Map;

/** A job definition, defaults filled in. {@code id} is null until the service assigns one. */
public record Job(String id, String namespace, String name, Map<String, String> labels, Schedule schedule,
                  TaskSpec task, String resourceClass, Duration timeout, TimeoutPolicy onTimeout, RetryPolicy retry,
                  int priority, OverlapPolicy overlap, MisfirePolicy misfire) {
  public Job withId(String newId) {
    return new Job(newId, namespace, name, labels, schedule, task, resourceClass, timeout, onTimeout, retry,
        priority, overlap, misfire);
  }

  public Job withName(String newName) {
    return new Job(id, namespace, newName, labels, schedule, task, resourceClass, timeout, onTimeout, retry,
        priority, overlap, misfire);
  }
}
