package io.jobsched.logs;

import io.jobsched.metrics.JobschedMetrics;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;

/**
 * Drains the Redis log stream into Elasticsearch through a consumer group. An entry leaves Redis only
 * after Elasticsearch accepted it (XACK + XDEL after the bulk); while Elasticsearch is down the entries
 * stay pending and are retried with backoff, so no line is lost. Entries a dead indexer held are taken over
 * ({@link PendingClaims}); the consumer name is the node id, so a restarted node with a configured
 * {@code node.id} picks up its own.
 */
public final class LogIndexerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(LogIndexerVerticle.class);
  static final String GROUP = "indexers";
  private static final long MAX_BACKOFF_MS = 30_000;
  /** Indices are daily: an hourly look for aged-out ones deletes each within an hour of its time. */
  private static final long RETENTION_SWEEP_MS = 3_600_000;
  private static final long SAMPLE_MS = 5_000;

  private final Redis redis;
  private final EsLogStore store;
  private final String streamKey;
  private final String consumer;
  private final int batchSize;
  private final LogRetentionSweep retention;
  private final PendingClaims claims;
  private final StreamBacklog backlog;
  private final JobschedMetrics metrics;
  private final long claimIdleMs;
  private boolean stopped;
  private boolean claimedSome;
  private long backoffMs;

  public LogIndexerVerticle(Redis redis, EsLogStore store, String streamKey, String consumer, int batchSize,
                            long claimIdleMs, LogRetentionSweep retention, JobschedMetrics metrics) {
    this.retention = retention;
    this.claims = new PendingClaims(redis, streamKey, GROUP, consumer, claimIdleMs);
    this.backlog = new StreamBacklog(redis, streamKey);
    this.metrics = metrics;
    this.claimIdleMs = claimIdleMs;
    this.redis = redis;
    this.store = store;
    this.streamKey = streamKey;
    this.consumer = consumer;
    this.batchSize = batchSize;
  }

  @Override
  public Future<?> start() {
    return store.installTemplate()
        .compose(v -> createGroup())
        .onSuccess(v -> {
          loop(true);
          sweepRetention();
          vertx.setPeriodic(RETENTION_SWEEP_MS, id -> sweepRetention());
          vertx.setPeriodic(Math.max(1000, claimIdleMs / 2), id -> claimIdle());
          vertx.setPeriodic(SAMPLE_MS, id -> sampleBacklog());
        });
  }

  private void claimIdle() {
    claims.claimIdle()
        .onSuccess(n -> {
          if (n > 0) {
            log.warn("took over {} log lines another indexer was given but did not index for {} ms", n, claimIdleMs);
            claimedSome = true;
          }
        })
        .compose(n -> claims.forgetIdleConsumers())
        .onSuccess(gone -> {
          if (!gone.isEmpty()) {
            log.info("removed log indexers idle for an hour with nothing pending: {}", gone);
          }
        })
        .onFailure(err -> log.debug("claiming idle log lines failed: {}", err.getMessage()));
  }

  private void sampleBacklog() {
    backlog.read().onSuccess(b -> {
      metrics.gauge("jobsched.log.stream.lines", "Log lines in Redis not indexed yet (cluster-wide)", Tags.empty(), b.lines());
      long lagMs = b.oldestAppendMs() < 0 ? 0 : Math.max(0, System.currentTimeMillis() - b.oldestAppendMs());
      metrics.gauge("jobsched.log.index.lag.seconds", "Age of the oldest log line not indexed yet (cluster-wide)",
          Tags.empty(), lagMs / 1000.0);
    }).onFailure(err -> log.debug("log backlog not sampled: {}", err.getMessage()));
  }

  private void sweepRetention() {
    retention.sweep().onComplete(ar -> {
      if (ar.failed()) {
        log.warn("deleting aged-out log indices failed, trying again within the hour: {}", ar.cause().getMessage());
      } else if (!ar.result().isEmpty()) {
        log.info("deleted aged-out log indices {}", ar.result());
      }
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return Future.succeededFuture();
  }

  private Future<Void> createGroup() {
    return redis.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(streamKey).arg(GROUP).arg("0").arg("MKSTREAM"))
        .<Void>mapEmpty()
        .recover(err -> Objects.toString(err.getMessage(), "").startsWith("BUSYGROUP")
            ? Future.succeededFuture() : Future.failedFuture(err));
  }

  /** {@code pending}: first re-read what this consumer was given but did not get indexed. */
  private void loop(boolean pendingAsked) {
    if (stopped) {
      return;
    }
    // entries just taken over from another indexer are in our pending list: read that first
    boolean pending = pendingAsked || claimedSome;
    claimedSome = false;
    Request read = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg(consumer).arg("COUNT").arg(batchSize);
    if (!pending) {
      read.arg("BLOCK").arg(500);
    }
    read.arg("STREAMS").arg(streamKey).arg(pending ? "0" : ">");
    redis.send(read)
        .compose(reply -> {
          List<StreamEntries.Entry> entries = StreamEntries.decode(reply);
          if (entries.isEmpty()) {
            return Future.succeededFuture(false);
          }
          List<LogLine> lines = entries.stream().map(StreamEntries.Entry::line).filter(Objects::nonNull).toList();
          Future<Void> indexed = lines.isEmpty() ? Future.succeededFuture() : store.index(lines);
          return indexed.compose(v -> acknowledge(entries)).map(v -> {
            metrics.logLinesIndexed(lines.size());
            return true;
          });
        })
        .onComplete(ar -> {
          if (ar.succeeded()) {
            backoffMs = 0;
            // after draining our pending entries, switch to new ones
            boolean morePending = pending && ar.result();
            if (stopped) {
              return;
            }
            vertx.runOnContext(v -> loop(morePending));
          } else {
            backoffMs = backoffMs == 0 ? 250 : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
            log.warn("log indexing failed, retrying in {} ms: {}", backoffMs, ar.cause().getMessage());
            // Redis lost the stream and its group (FLUSHALL, restart without persistence): make them again
            boolean lostGroup = Objects.toString(ar.cause().getMessage(), "").startsWith("NOGROUP");
            if (!stopped) {
              vertx.setTimer(backoffMs, id -> (lostGroup ? createGroup() : Future.<Void>succeededFuture())
                  .onComplete(healed -> loop(true)));
            }
          }
        });
  }

  private Future<Void> acknowledge(List<StreamEntries.Entry> entries) {
    Request ack = Request.cmd(Command.XACK).arg(streamKey).arg(GROUP);
    Request del = Request.cmd(Command.XDEL).arg(streamKey);
    for (StreamEntries.Entry e : entries) {
      ack.arg(e.id());
      del.arg(e.id());
    }
    return redis.batch(List.of(ack, del)).mapEmpty();
  }
}
