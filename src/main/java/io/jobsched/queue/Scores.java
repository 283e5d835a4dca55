package io.jobsched.queue;

import java.time.Instant;

/**
 * Queue order. A run waits in its queue's {@code delayed} set until due, scored by fire time in ms times
 * 1024 plus (1000 - priority) (below 2^53 until year 2248, so Redis' doubles hold it exactly, and both
 * parts can be read back). Once due it moves to {@code ready}, scored by its aged priority: due ms minus
 * priority × {@link #AGE_MS_PER_PRIORITY}. Among due runs the higher priority is claimed first, whatever
 * the backlog; a lower one is passed only by runs that became due less than (their priority difference) ×
 * {@value #AGE_MS_PER_PRIORITY} ms after it: a priority-0 run waits at most 60 s behind priority-1000 work
 * that arrives after it, then takes its turn, so no priority starves.
 */
public final class Scores {
  public static final int MAX_PRIORITY = 1000;
  /** How much earlier a run of one more priority point counts as due, in ms. */
  public static final long AGE_MS_PER_PRIORITY = 60;

  private Scores() {
  }

  /** The {@code delayed} score. */
  public static long of(Instant dueAt, int priority) {
    if (priority < 0 || priority > MAX_PRIORITY) {
      throw new IllegalArgumentException("priority out of range: " + priority);
    }
    return dueAt.toEpochMilli() * 1024 + (MAX_PRIORITY - priority);
  }

  public static Instant dueAt(long score) {
    return Instant.ofEpochMilli(Math.floorDiv(score, 1024));
  }

  /** The {@code ready} score of a due run. */
  public static long aged(Instant dueAt, int priority) {
    return dueAt.toEpochMilli() - priority * AGE_MS_PER_PRIORITY;
  }
}
