package io.jobsched.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * Pipelines commands given in groups whose keys share a hash slot (e.g. one queue partition each). A single
 * server takes all groups in one round trip; the cluster client refuses a batch whose keys live on different
 * masters (CROSSSLOT), so there each group goes as its own batch, all at once.
 */
public final class SlotBatches {
  private final Redis redis;
  private final boolean cluster;

  public SlotBatches(Redis redis, boolean cluster) {
    this.redis = redis;
    this.cluster = cluster;
  }

  /** The replies of every group's commands, in the order given. */
  public Future<List<Response>> batch(List<List<Request>> sameSlotGroups) {
    if (!cluster) {
      List<Request> all = new ArrayList<>();
      sameSlotGroups.forEach(all::addAll);
      return all.isEmpty() ? Future.succeededFuture(List.of()) : redis.batch(all);
    }
    List<Future<List<Response>>> batches = new ArrayList<>(sameSlotGroups.size());
    for (List<Request> group : sameSlotGroups) {
      batches.add(group.isEmpty() ? Future.succeededFuture(List.of()) : redis.batch(group));
    }
    return Future.all(batches).map(done -> {
      List<Response> replies = new ArrayList<>();
      for (int i = 0; i < batches.size(); i++) {
        replies.addAll(done.<List<Response>>resultAt(i));
      }
      return replies;
    });
  }
}
