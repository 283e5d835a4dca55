package io.jobsched.job;

import java.util.EnumSet;
import java.util.Set;

/** One entry of a job's {@code notify} list: the final outcomes it wants to hear of, and where to send them. */
public record NotifyRule(Set<NotifyEvent> on, NotifyTarget target) {
  /** Most rules a job may have: each final outcome writes a row per matching rule in the result's statement. */
  public static final int MAX_RULES = 10;

  public NotifyRule {
    // an EnumSet keeps the events in one order, so equal rules compare (and are written back) alike
    on = on.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(on));
  }

  public boolean wants(NotifyEvent event) {
    return on.contains(event);
  }
}
