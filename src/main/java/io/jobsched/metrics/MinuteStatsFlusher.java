package io.jobsched.metrics;

import io.vertx.core.Future;

import java.util.Map;

/** Adds this node's per-minute counts to the cluster's; what a failed write took is kept for the next flush. */
public final class MinuteStatsFlusher {
  private final MinuteCounts counts;
  private final MinuteStatsStore store;

  public MinuteStatsFlusher(MinuteCounts counts, MinuteStatsStore store) {
    this.counts = counts;
    this.store = store;
  }

  public Future<Void> flush() {
    Map<Long, Map<String, Long>> taken = counts.drain();
    return store.add(taken).onFailure(err -> counts.restore(taken));
  }
}
