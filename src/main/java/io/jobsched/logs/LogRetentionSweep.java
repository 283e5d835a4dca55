package io.jobsched.logs;

import io.vertx.core.Future;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes the daily log indices that aged out ({@link LogRetention}), each after its snapshot succeeded when
 * snapshots are configured ({@link LogSnapshots}, null when not). Every indexer runs it; two at once delete
 * the same indices, which is harmless (an index already gone is not an error).
 */
public final class LogRetentionSweep {
  private final EsLogStore store;
  private final LogRetention retention;
  private final LogSnapshots snapshots;
  private final Clock clock;

  public LogRetentionSweep(EsLogStore store, LogRetention retention, LogSnapshots snapshots, Clock clock) {
    this.store = store;
    this.retention = retention;
    this.snapshots = snapshots;
    this.clock = clock;
  }

  /** Resolves to the indices deleted. */
  public Future<List<String>> sweep() {
    return store.indices().compose(names -> {
      List<String> expired = retention.expired(names, clock.instant());
      if (expired.isEmpty()) {
        return Future.succeededFuture(expired);
      }
      if (snapshots == null) {
        return store.deleteIndices(expired).map(v -> expired);
      }
      List<String> deleted = new ArrayList<>();
      Future<Void> done = snapshots.prepare();
      // one index at a time: Elasticsearch runs few snapshots at once, and a day's index is small
      for (String index : expired) {
        done = done.compose(v -> snapshots.secure(index)).compose(secured -> {
          if (!secured) {
            return Future.succeededFuture();
          }
          deleted.add(index);
          return store.deleteIndices(List.of(index));
        });
      }
      return done.map(v -> deleted);
    });
  }
}
