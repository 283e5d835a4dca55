package io.jobsched.notify;

import io.jobsched.config.JobschedConfig;
import io.jobsched.history.ColdRuns;
import io.jobsched.metrics.JobschedMetrics;
import io.jobsched.store.JobStore;
import io.jobsched.store.Notifications;
import io.jobsched.store.RunStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Delivers job notifications (reaper-role nodes): looks for due rows every {@code notify.poll_ms}, at most
 * one pass in flight, and goes on at once while passes come back full. Several nodes may run it: rows are
 * claimed with SKIP LOCKED and leased, so each attempt is made by one of them. At start and hourly it also
 * deletes settled rows older than {@code notify.keep_days}.
 */
public final class NotifyVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(NotifyVerticle.class);
  /** Beyond a send's own bound (twice the timeout), before another dispatcher may take the row over. */
  private static final long LEASE_MARGIN_MS = 5_000;
  private static final long PRUNE_EVERY_MS = 3_600_000;
  private static final int PRUNE_BATCH = 10_000;

  private final JobschedConfig.Notify cfg;
  private final Notifications outbox;
  private final RunStore runs;
  private final ColdRuns coldRuns;
  private final JobStore jobs;
  private final JobschedMetrics metrics;
  private HttpClient http;
  private Dispatcher dispatcher;
  private boolean busy;

  public NotifyVerticle(JobschedConfig.Notify cfg, Notifications outbox, RunStore runs, ColdRuns coldRuns, JobStore jobs,
                        JobschedMetrics metrics) {
    this.cfg = cfg;
    this.outbox = outbox;
    this.runs = runs;
    this.coldRuns = coldRuns;
    this.jobs = jobs;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(cfg.timeoutMs()),
        new PoolOptions().setHttp1MaxSize(50));
    Delivery delivery = new Delivery(vertx, http, new Signature(cfg.hmacSecret()), Clock.systemUTC(), cfg.timeoutMs());
    dispatcher = new Dispatcher(outbox, runs, coldRuns, jobs, delivery,
        new RetrySchedule(cfg.maxAttempts(), cfg.backoffMs(), cfg.maxBackoffMs()), metrics, cfg.batchSize(),
        cfg.timeoutMs() * 2L + LEASE_MARGIN_MS);
    vertx.setPeriodic(cfg.pollMs(), id -> pass());
    vertx.setPeriodic(1, PRUNE_EVERY_MS, id -> prune());
    return Future.succeededFuture();
  }

  /** Settled rows older than {@code notify.keep_days}, a batch at a time (a short statement each). */
  private void prune() {
    outbox.prune(cfg.keepDays(), PRUNE_BATCH).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("pruning old notifications failed (tried again in an hour): {}", ar.cause().getMessage());
      } else if (ar.result() == PRUNE_BATCH) {
        prune();
      }
    });
  }

  private void pass() {
    if (busy) {
      return;
    }
    busy = true;
    dispatcher.dispatchDue().onComplete(ar -> {
      busy = false;
      if (ar.failed()) {
        log.warn("notification pass failed (tried again in {} ms): {}", cfg.pollMs(), ar.cause().getMessage());
      } else if (ar.result() == dispatcher.batchSize()) {
        pass();
      }
    });
  }

  @Override
  public Future<?> stop() {
    return http == null ? Future.succeededFuture() : http.close();
  }
}
