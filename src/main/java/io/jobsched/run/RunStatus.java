package io.jobsched.run;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a run is in its life: PENDING → RUNNING → one terminal status, or PENDING → CANCELLED / SKIPPED
 * without running; a RUNNING run handed back by a stopping worker is PENDING again. The moves are made,
 * and only made, by the conditional SQL updates in {@code store} (each names the status it moves from).
 */
public enum RunStatus {
  PENDING, RUNNING, SUCCESS, FAILED, TIMED_OUT, CANCELLED, SKIPPED;

  private static final Set<RunStatus> TERMINAL = EnumSet.of(SUCCESS, FAILED, TIMED_OUT, CANCELLED, SKIPPED);

  public boolean isTerminal() {
    return TERMINAL.contains(this);
  }
}
