package io.jobsched.metrics;

import io.jobsched.redis.HashReply;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster's per-minute run counts in Redis: one hash per minute ({@code <prefix>:{stats}:m:<epoch minute>},
 * every node adding its counts with HINCRBY), kept two hours. One hash tag, so a read of the last hour is one
 * slot on Redis Cluster.
 */
public final class MinuteStatsStore {
  private static final int KEEP_SECONDS = 2 * 3600;

  private final Redis redis;
  private final String prefix;

  public MinuteStatsStore(Redis redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix + ":{stats}:m:";
  }

  public Future<Void> add(Map<Long, Map<String, Long>> counts) {
    if (counts.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Request> requests = new ArrayList<>();
    counts.forEach((minute, fields) -> {
      String key = prefix + minute;
      fields.forEach((field, n) -> requests.add(Request.cmd(Command.HINCRBY).arg(key).arg(field).arg(n)));
      requests.add(Request.cmd(Command.EXPIRE).arg(key).arg(KEEP_SECONDS));
    });
    return redis.batch(requests).mapEmpty();
  }

  /** The counts of minutes {@code first .. first + n - 1}, oldest first (empty maps for quiet minutes). */
  public Future<List<Map<String, Long>>> read(long firstMinute, int n) {
    List<Request> requests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      requests.add(Request.cmd(Command.HGETALL).arg(prefix + (firstMinute + i)));
    }
    return redis.batch(requests).map(replies -> {
      List<Map<String, Long>> out = new ArrayList<>(n);
      for (Response reply : replies) {
        Map<String, Long> fields = new HashMap<>();
        HashReply.fields(reply).forEach((field, value) -> fields.put(field, Long.parseLong(value)));
        out.add(fields);
      }
      return out;
    });
  }
}
