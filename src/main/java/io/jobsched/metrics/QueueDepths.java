package io.jobsched.metrics;

import io.jobsched.job.TaskSpec;
import io.jobsched.queue.QueueKeys;
import io.jobsched.queue.RunQueue;
import io.jobsched.worker.WorkerRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How many runs wait in Redis per resource class: due ({@code ready}) and not yet due ({@code delayed}), summed
 * over the queue partitions and task kinds, for the classes the live workers serve and {@code default}. One
 * pipelined ZCARD per queue key.
 */
public final class QueueDepths {
  public record Depth(String resourceClass, long ready, long delayed) {}

  private final Redis redis;
  private final RunQueue queue;
  private final WorkerRegistry workers;
  private final InstantSource clock;

  public QueueDepths(Redis redis, RunQueue queue, WorkerRegistry workers, InstantSource clock) {
    this.redis = redis;
    this.queue = queue;
    this.workers = workers;
    this.clock = clock;
  }

  /** The depth of each class, in name order. */
  public Future<List<Depth>> read() {
    return workers.live(clock.instant()).compose(live -> read(classesOf(live)));
  }

  /** The resource classes the live workers serve, and {@code default}. */
  private static Set<String> classesOf(List<JsonObject> liveWorkers) {
    Set<String> names = new TreeSet<>();
    names.add("default");
    for (JsonObject worker : liveWorkers) {
      JsonObject resources = worker.getJsonObject("resources");
      if (resources != null) {
        names.addAll(resources.fieldNames());
      }
    }
    return names;
  }

  private Future<List<Depth>> read(Set<String> names) {
    List<Request> requests = new ArrayList<>();
    for (String resourceClass : names) {
      for (int p = 0; p < queue.partitions(); p++) {
        QueueKeys keys = queue.keys(p);
        for (String kind : TaskSpec.KINDS) {
          requests.add(Request.cmd(Command.ZCARD).arg(keys.ready(resourceClass, kind)));
          requests.add(Request.cmd(Command.ZCARD).arg(keys.delayed(resourceClass, kind)));
        }
      }
    }
    return redis.batch(requests).map(replies -> {
      List<Depth> out = new ArrayList<>();
      int i = 0;
      for (String resourceClass : names) {
        long ready = 0;
        long delayed = 0;
        for (int n = 0; n < queue.partitions() * TaskSpec.KINDS.size(); n++) {
          ready += replies.get(i++).toLong();
          delayed += replies.get(i++).toLong();
        }
        out.add(new Depth(resourceClass, ready, delayed));
      }
      return out;
    });
  }
}
