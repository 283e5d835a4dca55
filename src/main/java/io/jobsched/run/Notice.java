package io.jobsched.run;

import io.jobsched.job.Job;
import io.jobsched.job.NotifyEvent;
import io.jobsched.job.NotifyRule;
import io.jobsched.job.NotifyTarget;

import java.util.ArrayList;
import java.util.List;

/**
 * A notification a final outcome owes: rule {@code rule} of the job's {@code notify} list subscribed to
 * {@code event}. Pure; the store writes one row per notice in the statement that records the outcome.
 */
public record Notice(int rule, NotifyEvent event, NotifyTarget target) {
  /** The event a final status is announced as; null for one no rule can subscribe to (CANCELLED). */
  public static NotifyEvent eventOf(RunStatus status) {
    return switch (status) {
      case SUCCESS -> NotifyEvent.SUCCESS;
      case FAILED -> NotifyEvent.FAILURE;
      case TIMED_OUT -> NotifyEvent.TIMEOUT;
      case SKIPPED -> NotifyEvent.SKIPPED;
      default -> null;
    };
  }

  /**
   * What a run of {@code job} ending {@code status} as its fire's final outcome owes, in rule order. Only a
   * final outcome may be passed: an attempt that is retried notifies nothing.
   */
  public static List<Notice> owed(Job job, RunStatus status) {
    List<NotifyRule> rules = job.notifyRules();
    NotifyEvent event = rules.isEmpty() ? null : eventOf(status);
    if (event == null) {
      return List.of();
    }
    List<Notice> out = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).wants(event)) {
        out.add(new Notice(i, event, rules.get(i).target()));
      }
    }
    return out.isEmpty() ? List.of() : List.copyOf(out);
  }
}
