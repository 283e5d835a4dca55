package io.jobsched.logs;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.List;

/**
 * What waits in the log stream for Elasticsearch. Indexed entries are deleted, so the stream's length is the
 * backlog and its first entry the oldest line not indexed (its id is its append time in ms).
 */
final class StreamBacklog {
  record Backlog(long lines, long oldestAppendMs) {}

  private final Redis redis;
  private final String streamKey;

  StreamBacklog(Redis redis, String streamKey) {
    this.redis = redis;
    this.streamKey = streamKey;
  }

  Future<Backlog> read() {
    return redis.batch(List.of(Request.cmd(Command.XLEN).arg(streamKey),
        Request.cmd(Command.XRANGE).arg(streamKey).arg("-").arg("+").arg("COUNT").arg(1))).map(replies -> {
          long lines = replies.get(0).toLong();
          Response first = replies.get(1);
          long oldest = first == null || first.size() == 0 ? -1 : appendMs(first.get(0).get(0).toString());
          return new Backlog(lines, oldest);
        });
  }

  private static long appendMs(String entryId) {
    int dash = entryId.indexOf('-');
    return Long.parseLong(dash < 0 ? entryId : entryId.substring(0, dash));
  }
}
