package io.jobsched.worker;

import io.jobsched.job.Needs;
import io.jobsched.run.Placement;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

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

  /**
   * What each live worker offers for placement ({@link Placement#waitingFor}): the classes it has capacity for,
   * the kinds it runs, its totals for sized runs (none for a worker announced before resources existed).
   */
  public Future<List<Placement.Offer>> offers(Instant now) {
    return live(now).map(all -> all.stream().map(WorkerRegistry::offer).toList());
  }

  static Placement.Offer offer(JsonObject status) {
    JsonObject classes = status.getJsonObject("resources", new JsonObject());
    List<String> kinds = status.getJsonArray("task_kinds", new io.vertx.core.json.JsonArray()).stream()
        .map(String::valueOf).toList();
    return new Placement.Offer(status.getString("id"), Set.copyOf(classes.fieldNames()), Set.copyOf(kinds),
        new Needs((int) Math.round(total(status, "cpu") * 1000), (int) total(status, "memory_mb"),
            (int) total(status, "gpu")));
  }

  private static double total(JsonObject status, String resource) {
    JsonObject o = status.getJsonObject(resource);
    return o == null || o.getNumber("total") == null ? 0 : o.getNumber("total").doubleValue();
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
