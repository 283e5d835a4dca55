package io.jobsched.worker;

import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts held runs at their instants with one timer per distinct millisecond, not one per run: a cron
 * spike holds tens of thousands of runs for the same instant. Used from one event loop only.
 */
final class Instants {
  private final Vertx vertx;
  private final Map<Long, List<Runnable>> due = new HashMap<>();

  Instants(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs {@code action} in {@code delayMs} (monotonic clock); at once when the delay is not positive. */
  void in(long delayMs, Runnable action) {
    if (delayMs <= 0) {
      action.run();
      return;
    }
    long at = TimeUnit.NANOSECONDS.toMillis(System.nanoTime()) + delayMs;
    List<Runnable> same = due.get(at);
    if (same != null) {
      same.add(action);
      return;
    }
    List<Runnable> actions = new ArrayList<>();
    actions.add(action);
    due.put(at, actions);
    vertx.setTimer(delayMs, id -> due.remove(at).forEach(Runnable::run));
  }
}
