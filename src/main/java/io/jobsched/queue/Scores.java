package io.jobsched.queue;

import java.time.Instant;

/**
 * Ready-queue scores: fire time in ms, times 1024, plus (1000 - priority), so runs due at the same
 * millisecond are claimed highest priority first. The product stays below 2^53 until year 2248, so
 * Redis' double scores hold it exactly.
 */
public final class Scores {
  public static final int MAX_PRIORITY = 1000;

  private Scores() {
  }

  public static long of(Instant dueAt, int priority) {
    if (priority < 0 || priority > MAX_PRIORITY) {
      throw new IllegalArgumentException("priority out of range: " + priority);
    }
    return dueAt.toEpochMilli() * 1024 + (MAX_PRIORITY - priority);
  }

  public static Instant dueAt(long score) {
    return Instant.ofEpochMilli(Math.floorDiv(score, 1024));
  }
}
