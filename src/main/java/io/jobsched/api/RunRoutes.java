package io.jobsched.api;

import io.jobsched.api.json.Instants;
import io.jobsched.api.json.NotificationJson;
import io.jobsched.api.json.RunJson;
import io.jobsched.logs.LogLine;
import io.jobsched.run.Placement;
import io.jobsched.run.Run;
import io.jobsched.run.RunStatus;
import io.jobsched.service.Caller;
import io.jobsched.service.RunService;
import io.jobsched.worker.WorkerRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** {@code /api/v1/runs...}: one run and its logs. */
final class RunRoutes {
  /** The reason is a detail: a slow registry read leaves it out rather than delay the answer. */
  private static final long WAITING_LOOKUP_MS = 250;

  private final RunService runs;
  private final WorkerRegistry workers;
  private final Clock clock;

  RunRoutes(RunService runs, WorkerRegistry workers, Clock clock) {
    this.runs = runs;
    this.workers = workers;
    this.clock = clock;
  }

  void mount(Router api) {
    api.get("/runs/:run_id").handler(this::get);
    api.get("/runs/:run_id/logs").handler(this::logs);
    api.get("/runs/:run_id/logs/follow").handler(this::follow);
    api.post("/runs/:run_id/cancel").handler(this::cancel);
  }

  private void cancel(RoutingContext rc) {
    runs.cancel(BearerAuth.caller(rc), QueryParams.runId(rc))
        .onSuccess(run -> Responses.json(rc, 202, RunJson.toJson(run)))
        .onFailure(err -> Responses.failure(rc, err));
  }

  private void get(RoutingContext rc) {
    runs.find(BearerAuth.caller(rc), QueryParams.runId(rc))
        .onSuccess(found -> {
          JsonObject json = RunJson.toJson(found.run(), found.cold());
          if (found.leaseExpiresAt() != null) {
            json.put("lease_expires_at", Instants.format(found.leaseExpiresAt()));
          }
          if (!found.notifications().isEmpty()) {
            json.put("notifications", NotificationJson.toJson(found.notifications()));
          }
          waitingFor(found.run()).onComplete(ar -> {
            if (ar.succeeded() && ar.result() != null) {
              json.put("waiting_for", ar.result());
            }
            Responses.json(rc, 200, json);
          });
        })
        .onFailure(err -> Responses.failure(rc, err));
  }

  /** Why no live worker could ever run this PENDING run (computed from the live workers), or null. */
  private Future<String> waitingFor(Run run) {
    if (run.status() != RunStatus.PENDING || workers == null) {
      return Future.succeededFuture(null);
    }
    return workers.offers(clock.instant()).timeout(WAITING_LOOKUP_MS, TimeUnit.MILLISECONDS)
        .map(live -> Placement.waitingFor(run.resourceClass(), run.taskKind(), run.needs(), live));
  }

  private void logs(RoutingContext rc) {
    UUID runId = QueryParams.runId(rc);
    String stream = QueryParams.oneOf(rc, "stream", "stdout", "stderr");
    long afterSeq = QueryParams.longParam(rc, "after_seq", 0, 0);
    int limit = QueryParams.intParam(rc, "limit", 1000, 1, 10_000);
    runs.logs(BearerAuth.caller(rc), runId, stream, afterSeq, limit)
        .onSuccess(chunk -> Responses.json(rc, 200, linesJson(chunk.lines(), afterSeq)))
        .onFailure(err -> Responses.failure(rc, err));
  }

  /**
   * Answers 404 (the run is not there, or not for this caller) before the event stream starts; then hands the
   * response to a {@link LogFollow}.
   */
  private void follow(RoutingContext rc) {
    UUID runId = QueryParams.runId(rc);
    String lastEventId = rc.request().getHeader("Last-Event-ID");
    long afterSeq;
    try {
      afterSeq = lastEventId == null ? QueryParams.longParam(rc, "after_seq", 0, 0) : Long.parseLong(lastEventId.trim());
    } catch (NumberFormatException e) {
      throw io.jobsched.service.ApiException.badRequest("Last-Event-ID", "expected a line's seq, got "
          + QueryParams.printable(lastEventId));
    }
    Caller caller = BearerAuth.caller(rc);
    runs.get(caller, runId)
        .onSuccess(run -> new LogFollow(rc.vertx(), runs, caller, runId, rc.response(), afterSeq).start())
        .onFailure(err -> Responses.failure(rc, err));
  }

  /** One line as the logs page, the follow and the search answer it. */
  static JsonObject lineJson(LogLine l) {
    return new JsonObject().put("seq", l.seq()).put("ts", l.ts().toString()).put("stream", l.stream())
        .put("line", l.line());
  }

  static JsonObject linesJson(List<LogLine> lines, long afterSeq) {
    JsonArray out = new JsonArray();
    long last = afterSeq;
    for (LogLine l : lines) {
      out.add(lineJson(l));
      last = l.seq();
    }
    return new JsonObject().put("lines", out).put("next_seq", last);
  }
}
