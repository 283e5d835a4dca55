package io.jobsched.scheduler;

import io.jobsched.store.RunPartitions;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Postgres to re-analyze the current runs partition each time this scheduler's insertions have
 * doubled since the last time (from {@link #FIRST} on): a handful of ANALYZEs during a spike, almost none
 * in a steady state, which autovacuum covers. One at a time; a failure is only logged.
 */
final class PlannerStatistics {
  private static final Logger log = LoggerFactory.getLogger(PlannerStatistics.class);
  static final long FIRST = 5_000;

  private final RunPartitions partitions;
  private long inserted;
  private long nextAt = FIRST;
  private boolean analyzing;

  PlannerStatistics(RunPartitions partitions) {
    this.partitions = partitions;
  }

  /** Counts runs this scheduler inserted; resolves once an ANALYZE this made due has finished, if any. */
  Future<Void> inserted(int runs) {
    inserted += runs;
    if (inserted < nextAt || analyzing) {
      return Future.succeededFuture();
    }
    analyzing = true;
    nextAt = inserted * 2;
    return partitions.analyzeCurrent()
        .onFailure(err -> log.warn("analyzing the runs partition failed: {}", err.getMessage()))
        .recover(err -> Future.succeededFuture())
        .onComplete(ar -> analyzing = false);
  }
}
