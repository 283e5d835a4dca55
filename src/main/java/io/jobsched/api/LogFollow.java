package io.jobsched.api;

import io.jobsched.logs.LogLine;
import io.jobsched.service.Caller;
import io.jobsched.service.RunService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

import java.util.UUID;

/**
 * One client following a run's output as Server-Sent Events ({@code GET /api/v1/runs/{id}/logs/follow}): an
 * event per line ({@code id: <seq>}, data the line's JSON), starting after {@code Last-Event-ID}; a comment
 * every 15 s keeps proxies from closing a quiet stream; an {@code end} event and the end of the response once
 * the run has ended and no line came for {@link #SETTLE_MS} (its last lines travel worker, Redis stream,
 * indexer, Elasticsearch: about a second). Lines are read from Elasticsearch, so any node serves a follow,
 * whichever node runs the task. Stops when the client goes.
 */
final class LogFollow {
  static final long POLL_MS = 500;
  static final long HEARTBEAT_MS = 15_000;
  static final long SETTLE_MS = 3_000;
  private static final int PAGE = 1000;

  private final Vertx vertx;
  private final RunService runs;
  private final Caller caller;
  private final UUID runId;
  private final HttpServerResponse response;
  private long lastSeq;
  private long lastNews = System.nanoTime();
  private long pollTimer;
  private long heartbeatTimer;
  private boolean polling;
  private boolean done;

  LogFollow(Vertx vertx, RunService runs, Caller caller, UUID runId, HttpServerResponse response, long afterSeq) {
    this.vertx = vertx;
    this.runs = runs;
    this.caller = caller;
    this.runId = runId;
    this.response = response;
    this.lastSeq = afterSeq;
  }

  void start() {
    // identity: a compressed stream would hold events back in the deflater
    response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no")
        .putHeader("Content-Encoding", "identity");
    response.write(": following run " + runId + "\n\n");
    response.closeHandler(v -> stop());
    pollTimer = vertx.setPeriodic(POLL_MS, id -> poll());
    heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MS, id -> {
      if (!done) {
        response.write(": heartbeat\n\n");
      }
    });
    poll();
  }

  private void poll() {
    if (polling || done) {
      return;
    }
    polling = true;
    runs.logs(caller, runId, null, lastSeq, PAGE).onComplete(ar -> {
      polling = false;
      if (done) {
        return;
      }
      if (ar.failed()) {
        // a backend hiccup: the client keeps its place (Last-Event-ID) and the next poll tries again
        return;
      }
      for (LogLine l : ar.result().lines()) {
        response.write("id: " + l.seq() + "\ndata: " + RunRoutes.lineJson(l).encode() + "\n\n");
        lastSeq = l.seq();
      }
      long now = System.nanoTime();
      if (!ar.result().lines().isEmpty()) {
        lastNews = now;
        if (ar.result().lines().size() == PAGE) {
          poll();
        }
      } else if (ar.result().ended() && now - lastNews >= SETTLE_MS * 1_000_000) {
        response.write("event: end\ndata: {\"last_seq\":" + lastSeq + "}\n\n");
        stop();
        response.end();
      }
    });
  }

  private void stop() {
    done = true;
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(heartbeatTimer);
  }
}
