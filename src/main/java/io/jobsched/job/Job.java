package io.jobsched.job;

import java.time.Duration;
import java.util.Map;

/** A job definition, defaults filled in. {@code id} is null until the service assigns one. */
public record Job(String id, String namespace, String name, Map<String, String> labels, Schedule schedule,
                  TaskSpec task, String resourceClass, Duration timeout, TimeoutPolicy onTimeout, RetryPolicy retry,
                  int priority, OverlapPolicy overlap, MisfirePolicy misfire) {
  /** What a job id (and a namespace) may be: 1 to 128 of letters, digits, '.', '_', '-'. */
  public static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,128}");

  public Job withId(String newId) {
    return new Job(newId, namespace, name, labels, schedule, task, resourceClass, timeout, onTimeout, retry,
        priority, overlap, misfire);
  }

  public Job withName(String newName) {
    return new Job(id, namespace, newName, labels, schedule, task, resourceClass, timeout, onTimeout, retry,
        priority, overlap, misfire);
  }
}
