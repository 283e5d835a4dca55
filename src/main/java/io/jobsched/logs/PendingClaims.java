package io.jobsched.logs;

import io.jobsched.redis.HashReply;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lines a dead (or stuck) indexer was given but never acknowledged: any live indexer takes them over with
 * XAUTOCLAIM once they sat idle for {@code logs.claim_idle_ms}, then indexes them from its own pending list.
 * Indexing is idempotent, so a slow indexer whose lines are taken loses nothing and doubles nothing.
 */
final class PendingClaims {
  /** A consumer with nothing pending, silent this long, is gone: it is removed so the group stays readable. */
  static final long FORGET_AFTER_MS = 3_600_000;
  private static final int PAGE = 1000;
  private static final int MAX_PAGES = 100;

  private final Redis redis;
  private final String streamKey;
  private final String group;
  private final String consumer;
  private final long idleMs;

  PendingClaims(Redis redis, String streamKey, String group, String consumer, long idleMs) {
    this.redis = redis;
    this.streamKey = streamKey;
    this.group = group;
    this.consumer = consumer;
    this.idleMs = idleMs;
  }

  /** Claims every entry idle longer than the bound for this consumer; resolves to how many it took. */
  Future<Integer> claimIdle() {
    return claimFrom("0-0", 0, 0);
  }

  private Future<Integer> claimFrom(String cursor, int claimed, int page) {
    Request claim = Request.cmd(Command.XAUTOCLAIM).arg(streamKey).arg(group).arg(consumer).arg(idleMs).arg(cursor)
        .arg("COUNT").arg(PAGE).arg("JUSTID");
    return redis.send(claim).compose(reply -> {
      String next = reply.get(0).toString();
      int total = claimed + reply.get(1).size();
      // the cursor comes back to 0-0 after the last page
      return "0-0".equals(next) || page + 1 >= MAX_PAGES ? Future.succeededFuture(total) : claimFrom(next, total, page + 1);
    });
  }

  /** Removes other consumers that hold nothing and were idle past {@link #FORGET_AFTER_MS}; resolves to their names. */
  Future<List<String>> forgetIdleConsumers() {
    return redis.send(Request.cmd(Command.XINFO).arg("CONSUMERS").arg(streamKey).arg(group)).compose(reply -> {
      List<String> gone = new ArrayList<>();
      for (Response c : reply) {
        Map<String, String> info = HashReply.fields(c);
        String name = info.get("name");
        if (name != null && !name.equals(consumer) && "0".equals(info.get("pending"))
            && Long.parseLong(info.getOrDefault("idle", "0")) > FORGET_AFTER_MS) {
          gone.add(name);
        }
      }
      List<Request> deletes = gone.stream()
          .map(name -> Request.cmd(Command.XGROUP).arg("DELCONSUMER").arg(streamKey).arg(group).arg(name)).toList();
      return deletes.isEmpty() ? Future.succeededFuture(gone) : redis.batch(deletes).map(x -> gone);
    });
  }
}
