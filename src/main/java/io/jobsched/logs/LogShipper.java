package io.jobsched.logs;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Sends log lines to the bounded Redis stream the indexer drains into Elasticsearch, in batches.
 * Lines can be added from any thread (process readers); flushing happens on the caller's event loop.
 */
public final class LogShipper {
  private final Redis redis;
  private final String streamKey;
  private final int maxLen;
  private final ConcurrentLinkedQueue<LogLine> pending = new ConcurrentLinkedQueue<>();

  public LogShipper(Redis redis, String streamKey, int maxLen) {
    this.redis = redis;
    this.streamKey = streamKey;
    this.maxLen = maxLen;
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
      requests.add(Request.cmd(Command.XADD).arg(streamKey).arg("MAXLEN").arg("~").arg(maxLen).arg("*")
          .arg("run").arg(line.runId().toString()).arg("job").arg(line.jobId()).arg("ns").arg(line.namespace())
          .arg("stream").arg(line.stream()).arg("seq").arg(line.seq())
          .arg("ts").arg(line.ts().toEpochMilli()).arg("line").arg(line.line()));
    }
    return redis.batch(requests)
        .onFailure(err -> pending.addAll(batch))
        .mapEmpty();
  }
}
