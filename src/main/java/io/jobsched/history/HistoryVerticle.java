package io.jobsched.history;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the archiver at start and every {@code history.archive_interval_ms} (reaper-role nodes). */
public final class HistoryVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HistoryVerticle.class);

  private final RunArchiver archiver;
  private final long intervalMs;
  private boolean busy;

  public HistoryVerticle(RunArchiver archiver, long intervalMs) {
    this.archiver = archiver;
    this.intervalMs = intervalMs;
  }

  @Override
  public Future<?> start() {
    sweep();
    vertx.setPeriodic(intervalMs, id -> sweep());
    return Future.succeededFuture();
  }

  private void sweep() {
    if (busy) {
      return;
    }
    busy = true;
    archiver.sweep().onComplete(ar -> {
      busy = false;
      if (ar.failed()) {
        log.warn("archiving run history failed (retried in {} ms): {}", intervalMs, ar.cause().getMessage());
      }
    });
  }
}
