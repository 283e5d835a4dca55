package io.jobsched.worker;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Live workers, for {@code GET /api/v1/workers}: one field per worker in one Redis hash
 * ({@code <prefix>:{workers}}, one key so it is Cluster safe), holding the worker's status as API JSON with
 * an {@code expires_at} one lease after its last heartbeat. A worker announces itself on every heartbeat and
 * removes itself when it stops; one that died is left out once its {@code expires_at} passed (within its
 * lease) and its field deleted by the next reader.
 */
public final class WorkerRegistry {
  private final Redis redis;
  private final String key;

  public WorkerRegistry(Redis redis, String prefix) {
    this.redis = redis;
    this.key = prefix + ":{workers}";
  }

  public Future<Void> announce(String workerId, JsonObject status) {
    return redis.send(Request.cmd(Command.HSET).arg(key).arg(workerId).arg(status.encode())).mapEmpty();
  }

  public Future<Void> remove(String workerId) {
    return redis.send(Request.cmd(Command.HDEL).arg(key).arg(workerId)).mapEmpty();
  }

  /** The workers whose status has not expired at {@code now}, by id. */
  public Future<List<JsonObject>> live(Instant now) {
    return redis.send(Request.cmd(Command.HGETALL).arg(key)).compose(all -> {
      List<JsonObject> live = new ArrayList<>();
      Request expired = Request.cmd(Command.HDEL).arg(key);
      boolean anyExpired = false;
      java.util.Map<String, String> fields = io.jobsched.redis.HashReply.fields(all);
      for (var field : fields.entrySet()) {
        String id = field.getKey();
        JsonObject status = new JsonObject(field.getValue());
        if (Instant.parse(status.getString("expires_at")).isAfter(now)) {
          live.add(status);
        } else {
          expired.arg(id);
          anyExpired = true;
        }
      }
      live.sort(Comparator.comparing(s -> s.getString("id")));
      // a stale field is only tidied: a failure to delete it changes no answer
      return (anyExpired ? redis.send(expired).<Void>mapEmpty().recover(err -> Future.succeededFuture())
          : Future.<Void>succeededFuture()).map(v -> live);
    });
  }
}
