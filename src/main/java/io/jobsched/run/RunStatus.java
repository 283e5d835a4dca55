package io.jobsched.run;

import java.util.EnumSet;
import java.util.Set;

/** Where a run is in its life: PENDING → RUNNING → one terminal status; or SKIPPED without ever running. */
public enum RunStatus {
  PENDING, RUNNING, SUCCESS, FAILED, TIMED_OUT, CANCELLED, SKIPPED;

  private static final Set<RunStatus> TERMINAL = EnumSet.of(SUCCESS, FAILED, TIMED_OUT, CANCELLED, SKIPPED);

  public boolean isTerminal() {
    return TERMINAL.contains(this);
  }

  /** Whether a run may move from this status to {@code next}; terminal statuses never change again. */
  public boolean canBecome(RunStatus next) {
    return switch (this) {
      case PENDING -> next == RUNNING || next == CANCELLED || next == SKIPPED || next == FAILED;
      case RUNNING -> next.isTerminal() && next != SKIPPED;
      default -> false;
    };
  }
}
