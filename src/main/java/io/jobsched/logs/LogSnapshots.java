package io.jobsched.logs;

import io.vertx.core.Future;

/**
 * Keeps a day's log index in a snapshot repository before retention deletes it: one snapshot per index,
 * named after it, in a shared-file-system repository at {@code logs.snapshot_dir}. Restoring a day is
 * Elasticsearch's own {@code POST /_snapshot/<repository>/<index>/_restore}.
 *
 * <p>An index is deleted only once a snapshot of it has state SUCCESS. Two indexers sweeping at once, or
 * a sweep that stopped between the snapshot and the delete, find the snapshot already there and use it; a
 * snapshot that failed is deleted and taken again on the next sweep.
 */
public final class LogSnapshots {
  private final EsLogStore store;
  private final String repository;
  private final String location;

  public LogSnapshots(EsLogStore store, String repository, String location) {
    this.store = store;
    this.repository = repository;
    this.location = location;
  }

  /** Registers the repository; a sweep calls it first, so a repository removed by hand comes back. */
  public Future<Void> prepare() {
    return store.ensureSnapshotRepository(repository, location);
  }

  /** Resolves to true when {@code index} has a successful snapshot (taken now or before), else false. */
  public Future<Boolean> secure(String index) {
    return store.snapshotState(repository, index).compose(state -> {
      if (state.isEmpty()) {
        return store.snapshotIndex(repository, index, index).map("SUCCESS"::equals);
      }
      return switch (state.get()) {
        case "SUCCESS" -> Future.succeededFuture(true);
        case "IN_PROGRESS" -> Future.succeededFuture(false);
        default -> store.deleteSnapshot(repository, index).map(false);
      };
    });
  }
}
