package io.jobsched.notify;

import io.jobsched.api.json.RunJson;
import io.jobsched.history.ColdRuns;
import io.jobsched.metrics.JobschedMetrics;
import io.jobsched.store.JobStore;
import io.jobsched.store.Notifications;
import io.jobsched.store.Notifications.Notification;
import io.jobsched.store.RunStore;
import io.jobsched.store.StoredJob;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One pass over the outbox: claims due notifications, builds each payload from the run as Postgres has it
 * now (or the cold tier, when the run's month was archived while its notification was still owed), sends
 * it, and records the outcome (sent; or the error and the next attempt's time; or failed when attempts are
 * spent). A record that does not reach Postgres leaves the row leased: it is tried again when
 * the lease passes, so a delivery may repeat (at-least-once) but is never dropped.
 */
final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final Notifications outbox;
  private final RunStore runs;
  private final ColdRuns coldRuns;
  private final JobStore jobs;
  private final Delivery delivery;
  private final RetrySchedule retries;
  private final JobschedMetrics metrics;
  private final int batchSize;
  private final long leaseMs;

  Dispatcher(Notifications outbox, RunStore runs, ColdRuns coldRuns, JobStore jobs, Delivery delivery,
             RetrySchedule retries, JobschedMetrics metrics, int batchSize, long leaseMs) {
    this.outbox = outbox;
    this.runs = runs;
    this.coldRuns = coldRuns;
    this.jobs = jobs;
    this.delivery = delivery;
    this.retries = retries;
    this.metrics = metrics;
    this.batchSize = batchSize;
    this.leaseMs = leaseMs;
  }

  /** Resolves to how many were claimed; a full batch means more may be due. */
  Future<Integer> dispatchDue() {
    return outbox.claimDue(batchSize, leaseMs).compose(claimed -> Future.join(claimed.stream().map(this::deliver).toList())
        .transform(ar -> Future.succeededFuture(claimed.size())));
  }

  int batchSize() {
    return batchSize;
  }

  private Future<Void> deliver(Notification n) {
    return payload(n)
        .compose(body -> delivery.send(n.id(), n.event().wire(), n.target(), body))
        .transform(ar -> ar.succeeded() ? sent(n) : attemptFailed(n, ar.cause()))
        .onFailure(err -> log.warn("notification {} of run {}: recording its attempt failed ({}); it is tried again "
            + "after its lease", n.id(), n.runId(), err.getMessage()));
  }

  /** The run JSON as {@code GET /api/v1/runs/{id}} answers it, the event and the job. */
  private Future<JsonObject> payload(Notification n) {
    return runJson(n.runId()).compose(run -> run.isEmpty() ? Future.failedFuture("run " + n.runId() + " not found")
        : jobs.get(jobs.pool(), n.jobId()).map(job -> new JsonObject()
            .put("id", n.id().toString())
            .put("event", n.event().wire())
            .put("job", new JsonObject().put("id", n.jobId())
                .put("name", job.map(StoredJob::job).map(j -> j.name()).orElse(null)))
            .put("run", run.get())));
  }

  /** The run from Postgres, else from the cold files of the month its id names (saying {@code "tier": "cold"}). */
  private Future<Optional<JsonObject>> runJson(UUID runId) {
    return runs.get(runId).compose(hot -> hot.isPresent() ? Future.succeededFuture(hot.map(RunJson::toJson))
        : coldRuns.byId(runId).map(cold -> cold.map(r -> RunJson.toJson(r, true))));
  }

  private Future<Void> sent(Notification n) {
    return outbox.markSent(n.id()).onSuccess(marked -> {
      if (marked) {
        metrics.notificationSent();
      }
    }).mapEmpty();
  }

  private Future<Void> attemptFailed(Notification n, Throwable err) {
    String error = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    Long retryIn = retries.delayAfter(n.attempts(), ThreadLocalRandom.current().nextDouble());
    return outbox.markAttemptFailed(n.id(), n.attempts(), error, retryIn).onSuccess(marked -> {
      if (!marked) {
        return;
      }
      metrics.notificationAttemptFailed();
      if (retryIn == null) {
        metrics.notificationFailed();
        log.warn("notification {} ({} of run {}) to {} failed {} times, giving up: {}", n.id(), n.event().wire(),
            n.runId(), n.target().name(), n.attempts(), error);
      }
    }).mapEmpty();
  }
}
