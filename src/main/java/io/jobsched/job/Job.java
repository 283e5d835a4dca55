package io.jobsched.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A job definition, defaults filled in. {@code id} is null until the service assigns one. */
public record Job(String id, String namespace, String name, Map<String, String> labels, Schedule schedule,
                  TaskSpec task, String resourceClass, Duration timeout, TimeoutPolicy onTimeout, RetryPolicy retry,
                  int priority, OverlapPolicy overlap, MisfirePolicy misfire, Needs needs,
                  List<NotifyRule> notifyRules) {
  /** What a job id (and a namespace) may be: 1 to 128 of letters, digits, '.', '_', '-'. */
  public static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /**
   * Shares what many jobs repeat: a worker holds a job per run through a spike (200,000 at once), and each
   * parsed its own copy of "default" twice, of its name when it is its id, an empty labels map, and equal
   * policies ({@link Interned}).
   */
  public Job {
    namespace = namespace == null ? null : namespace.intern();
    resourceClass = resourceClass == null ? null : resourceClass.intern();
    name = name != null && name.equals(id) ? id : name;
    labels = labels != null && labels.isEmpty() ? Map.of() : labels;
    timeout = Interned.of(timeout);
    onTimeout = Interned.of(onTimeout);
    retry = Interned.of(retry);
    misfire = Interned.of(misfire);
    task = task instanceof NoopTask ? Interned.of(task) : task;
    // documents stored before resources had sizes have none: they reserve nothing
    needs = needs == null || needs.reservesNothing() ? Needs.NONE : needs;
    // stored definitions from before notifications have none
    notifyRules = notifyRules == null || notifyRules.isEmpty() ? List.of() : List.copyOf(notifyRules);
  }

  /** A job that reserves no cpu, memory or GPU and sends no notifications (the definition most jobs have). */
  public Job(String id, String namespace, String name, Map<String, String> labels, Schedule schedule, TaskSpec task,
             String resourceClass, Duration timeout, TimeoutPolicy onTimeout, RetryPolicy retry, int priority,
             OverlapPolicy overlap, MisfirePolicy misfire) {
    this(id, namespace, name, labels, schedule, task, resourceClass, timeout, onTimeout, retry, priority, overlap,
        misfire, Needs.NONE, List.of());
  }

  public Job withId(String newId) {
    return new Job(newId, namespace, name, labels, schedule, task, resourceClass, timeout, onTimeout, retry,
        priority, overlap, misfire, needs, notifyRules);
  }

  public Job withName(String newName) {
    return new Job(id, namespace, newName, labels, schedule, task, resourceClass, timeout, onTimeout, retry,
        priority, overlap, misfire, needs, notifyRules);
  }
}
