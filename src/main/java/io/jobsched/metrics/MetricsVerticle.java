package io.jobsched.metrics;

import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every node: adds its per-minute counts to the cluster's each second, and samples the queue depths into
 * gauges every few seconds. Only wiring and timers.
 */
public final class MetricsVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MetricsVerticle.class);
  private static final long FLUSH_MS = 1_000;
  private static final long SAMPLE_MS = 5_000;

  private final JobschedMetrics metrics;
  private final MinuteStatsFlusher flusher;
  private final QueueDepths depths;
  private final UnplaceableRuns unplaceable;
  private boolean flushing;
  /** A count still running is not started again: a slow one must not pile up behind itself. */
  private boolean countingUnplaceable;

  public MetricsVerticle(JobschedMetrics metrics, MinuteStatsStore store, QueueDepths depths) {
    this(metrics, store, depths, null);
  }

  /** {@code unplaceable}: null on a node that does not sample it. */
  public MetricsVerticle(JobschedMetrics metrics, MinuteStatsStore store, QueueDepths depths,
                         UnplaceableRuns unplaceable) {
    this.metrics = metrics;
    this.flusher = new MinuteStatsFlusher(metrics.minutes(), store);
    this.depths = depths;
    this.unplaceable = unplaceable;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(FLUSH_MS, id -> flush());
    vertx.setPeriodic(SAMPLE_MS, id -> sampleQueues());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return flusher.flush().recover(err -> Future.succeededFuture());
  }

  private void flush() {
    if (flushing) {
      return;
    }
    flushing = true;
    flusher.flush().onComplete(ar -> {
      flushing = false;
      if (ar.failed()) {
        log.debug("per-minute counts not written, kept for the next flush: {}", ar.cause().getMessage());
      }
    });
  }

  private void sampleQueues() {
    depths.read().onSuccess(all -> all.forEach(d -> {
      metrics.gauge("jobsched.queue.depth", "Runs waiting in Redis (cluster-wide)",
          Tags.of("class", d.resourceClass(), "state", "ready"), d.ready());
      metrics.gauge("jobsched.queue.depth", "Runs waiting in Redis (cluster-wide)",
          Tags.of("class", d.resourceClass(), "state", "delayed"), d.delayed());
    })).onFailure(err -> log.debug("queue depth not sampled: {}", err.getMessage()));
    if (unplaceable != null && !countingUnplaceable) {
      countingUnplaceable = true;
      unplaceable.count().onSuccess(n -> metrics.gauge("jobsched.runs.unplaceable",
              "Due PENDING runs no live worker could ever run (class, kind or size)", Tags.empty(), n))
          .onFailure(err -> log.debug("unplaceable runs not sampled: {}", err.getMessage()))
          .onComplete(ar -> countingUnplaceable = false);
    }
  }
}
