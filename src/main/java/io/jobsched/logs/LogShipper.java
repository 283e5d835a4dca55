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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sends log lines to the bounded Redis stream the indexer drains into Elasticsearch, in batches.
 * Lines can be added from any thread (process readers); flushing happens on the caller's event loop.
 *
 * <p>The indexer deletes what Elasticsearch accepted, so the stream holds only lines not indexed yet: every
 * entry the bound ({@code logs.stream_max_len}) trims is a lost line. The trim is an exact XTRIM in the same
 * pipeline as the lines, so its reply counts them ({@code jobsched_log_lines_dropped_total}, and a warning).
 *
 * <p>The stream is then the lines' only copy, and Redis may lose it (FLUSHALL, a restart without its files, a
 * restart that missed its last second of appends). Each pipeline first reads the marker of Redis' data
 * ({@link #epochKey}), creating it when absent. A marker this shipper has not seen before means Redis lost what
 * was there; a pipeline that failed means it may have. Either way the lines of the last
 * {@link ShippedLines#KEEP_NANOS} are sent again ({@code jobsched_log_lines_replayed_total}, and a warning).
 */
public final class LogShipper {
  private static final Logger log = LoggerFactory.getLogger(LogShipper.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Redis redis;
  private final String streamKey;
  private final String epochKey;
  private final int maxLen;
  private final JobschedMetrics metrics;
  private final ConcurrentLinkedQueue<LogLine> pending = new ConcurrentLinkedQueue<>();
  private final ShippedLines shipped = new ShippedLines();
  /** The marker of Redis' data as this shipper last read it; null before its first pipeline. */
  private String epoch;
  /** The last pipeline failed. */
  private boolean unreachable;
  private long droppedSinceWarning;
  private long lastWarningNanos = System.nanoTime() - WARN_EVERY_NANOS;

  public LogShipper(Redis redis, String prefix, int maxLen, JobschedMetrics metrics) {
    this.redis = redis;
    this.streamKey = streamKey(prefix);
    this.epochKey = epochKey(prefix);
    this.maxLen = maxLen;
    this.metrics = metrics;
  }

  public static String streamKey(String prefix) {
    return prefix + ":{logs}:stream";
  }

  /** A random value, set once per lifetime of Redis' data; in the stream's slot, so one pipeline reads both. */
  static String epochKey(String prefix) {
    return prefix + ":{logs}:epoch";
  }

  public void add(LogLine line) {
    pending.add(line);
  }

  /** Sends everything added so far; on failure the lines are put back to be sent by the next flush. */
  public Future<Void> flush() {
    return ship(false);
  }

  /**
   * What a periodic timer calls: {@link #flush()}, and with nothing to send, while lines sent lately are kept,
   * still checks that Redis kept them (a loss is noticed without waiting for the next line).
   */
  public Future<Void> flushOrCheck() {
    return ship(true);
  }

  private Future<Void> ship(boolean check) {
    List<LogLine> batch = new ArrayList<>();
    LogLine l;
    while ((l = pending.poll()) != null) {
      batch.add(l);
    }
    long now = System.nanoTime();
    if (batch.isEmpty() && !(check && shipped.any(now))) {
      return Future.succeededFuture();
    }
    String candidate = Long.toHexString(ThreadLocalRandom.current().nextLong());
    List<Request> requests = new ArrayList<>(batch.size() + 2);
    requests.add(Request.cmd(Command.SET).arg(epochKey).arg(candidate).arg("NX").arg("GET"));
    for (LogLine line : batch) {
      requests.add(Request.cmd(Command.XADD).arg(streamKey).arg("*")
          .arg("run").arg(line.runId().toString()).arg("job").arg(line.jobId()).arg("ns").arg(line.namespace())
          .arg("stream").arg(line.stream()).arg("seq").arg(line.seq())
          .arg("ts").arg(line.ts().toEpochMilli()).arg("line").arg(line.line()));
    }
    if (!batch.isEmpty()) {
      requests.add(Request.cmd(Command.XTRIM).arg(streamKey).arg("MAXLEN").arg("=").arg(maxLen));
    }
    return redis.batch(requests)
        .onFailure(err -> {
          pending.addAll(batch);
          unreachable();
        })
        .onSuccess(replies -> {
          shipped.add(batch, now);
          if (!batch.isEmpty()) {
            metrics.logLinesShipped(batch.size());
            Response trimmed = replies.get(replies.size() - 1);
            dropped(trimmed == null ? 0 : trimmed.toLong());
          }
          Response marker = replies.get(0);
          String lost = lossSince(marker == null ? candidate : marker.toString());
          if (lost != null) {
            sendAgain(now, lost);
          }
        })
        .mapEmpty();
  }

  private synchronized void unreachable() {
    unreachable = true;
  }

  /**
   * Why Redis may have lost lines since the last pipeline, or null: {@code seen} is another marker than the one
   * read last (its data was lost), or the last pipeline failed (Redis may have restarted, and an append-only file
   * synced every second can miss the writes of its last second).
   */
  private synchronized String lossSince(String seen) {
    String why = epoch != null && !epoch.equals(seen) ? "Redis lost the log stream (its marker " + epochKey
        + " is new to this node)" : unreachable ? "Redis was unreachable (a restart may have lost its last writes)" : null;
    epoch = seen;
    unreachable = false;
    return why;
  }

  private void sendAgain(long now, String why) {
    List<LogLine> again = shipped.takeAll(now);
    if (again.isEmpty()) {
      return;
    }
    pending.addAll(again);
    metrics.logLinesReplayed(again.size());
    log.warn("{}: sending again the {} lines this node shipped in the last {} s; lines shipped before and not yet "
        + "indexed (was Elasticsearch down?) may be lost", why, again.size(),
        TimeUnit.NANOSECONDS.toSeconds(ShippedLines.KEEP_NANOS));
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
