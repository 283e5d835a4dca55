package io.jobsched.logs;

import io.jobsched.metrics.JobschedMetrics;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends log lines to the bounded Redis stream the indexer drains into Elasticsearch, in batches.
 * Lines can be added from any thread (process readers); flushing happens on the caller's event loop.
 *
 * <p>The indexer deletes what Elasticsearch accepted, so the stream holds only lines not indexed yet: every
 * entry the bound ({@code logs.stream_max_len}) trims is a lost line. The trim is an exact XTRIM in the same
 * pipeline as the lines, so its reply counts them ({@code jobsched_log_lines_dropped_total}, and a warning).
 */
public final class LogShipper {
  private static final Logger log = LoggerFactory.getLogger(LogShipper.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Redis redis;
  private final String streamKey;
  private final int maxLen;
  private final JobschedMetrics metrics;
  private final ConcurrentLinkedQueue<LogLine> pending = new ConcurrentLinkedQueue<>();
  private long droppedSinceWarning;
  private long lastWarningNanos = System.nanoTime() - WARN_EVERY_NANOS;

  public LogShipper(Redis redis, String streamKey, int maxLen, JobschedMetrics metrics) {
    this.redis = redis;
    this.streamKey = streamKey;
    this.maxLen = maxLen;
    this.metrics = metrics;
  }

  public static String streamKey(String prefix) {
    return prefix + ":{logs}:stream";
  }

  public void add(LogLine line) {
    pending.add(line);
  }

  /** Sends everything added so far; on failure the lines are put back to be sent by the next flush. */
  public Future<Void> flush() {
    List<LogLine> batch = new ArrayList<>();
    LogLine l;
    while ((l = pending.poll()) != null) {
      batch.add(l);
    }
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Request> requests = new ArrayList<>(batch.size());
    for (LogLine line : batch) {
      requests.add(Request.cmd(Command.XADD).arg(streamKey).arg("*")
          .arg("run").arg(line.runId().toString()).arg("job").arg(line.jobId()).arg("ns").arg(line.namespace())
          .arg("stream").arg(line.stream()).arg("seq").arg(line.seq())
          .arg("ts").arg(line.ts().toEpochMilli()).arg("line").arg(line.line()));
    }
    requests.add(Request.cmd(Command.XTRIM).arg(streamKey).arg("MAXLEN").arg("=").arg(maxLen));
    return redis.batch(requests)
        .onFailure(err -> pending.addAll(batch))
        .onSuccess(replies -> {
          metrics.logLinesShipped(batch.size());
          Response trimmed = replies.get(replies.size() - 1);
          dropped(trimmed == null ? 0 : trimmed.toLong());
        })
        .mapEmpty();
  }

  private synchronized void dropped(long lines) {
    if (lines <= 0) {
      return;
    }
    metrics.logLinesDropped(lines);
    droppedSinceWarning += lines;
    long now = System.nanoTime();
    if (now - lastWarningNanos >= WARN_EVERY_NANOS) {
      log.warn("the log stream reached logs.stream_max_len ({}): {} lines not yet in Elasticsearch were dropped "
          + "(is Elasticsearch or the indexer down?)", maxLen, droppedSinceWarning);
      droppedSinceWarning = 0;
      lastWarningNanos = now;
    }
  }
}
