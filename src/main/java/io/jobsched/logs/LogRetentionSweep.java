package io.jobsched.logs;

import io.vertx.core.Future;

import java.time.Clock;
import java.util.List;

/**
 * Deletes the daily log indices that aged out ({@link LogRetention}). Every indexer runs it; two at once
 * delete the same indices, which is harmless (an index already gone is not an error).
 */
public final class LogRetentionSweep {
  private final EsLogStore store;
  private final LogRetention retention;
  private final Clock clock;

  public LogRetentionSweep(EsLogStore store, LogRetention retention, Clock clock) {
    this.store = store;
    this.retention = retention;
    this.clock = clock;
  }

  /** Resolves to the indices deleted. */
  public Future<List<String>> sweep() {
    return store.indices().compose(names -> {
      List<String> expired = retention.expired(names, clock.instant());
      return expired.isEmpty() ? Future.succeededFuture(expired) : store.deleteIndices(expired).map(v -> expired);
    });
  }
}
