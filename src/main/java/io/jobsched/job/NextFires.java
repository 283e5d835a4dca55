package io.jobsched.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The coming fires of a job as the scheduler will promote them: its stored next fire first, then each fire
 * after the one before by the schedule's own rule ({@link Schedule#nextFireAfter}, daylight-saving rules
 * included). A job with no next fire (paused, exhausted, or fired by another job) has none. Pure.
 */
public final class NextFires {
  private NextFires() {}

  public static List<Instant> of(Schedule schedule, Instant nextFireAt, boolean paused, int n) {
    List<Instant> out = new ArrayList<>(n);
    if (paused || nextFireAt == null) {
      return out;
    }
    Optional<Instant> fire = Optional.of(nextFireAt);
    while (fire.isPresent() && out.size() < n) {
      out.add(fire.get());
      fire = schedule.nextFireAfter(fire.get());
    }
    return out;
  }
}
