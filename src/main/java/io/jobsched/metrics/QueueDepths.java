package io.jobsched.metrics;

import io.jobsched.job.TaskSpec;
import io.jobsched.queue.QueueKeys;
import io.jobsched.queue.RunQueue;
import io.jobsched.redis.SlotBatches;
import io.jobsched.worker.WorkerRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How many runs wait in Redis per resource class: due ({@code ready}) and not yet due ({@code delayed}), summed
 * over the queue partitions and task kinds, for the classes the live workers serve and {@code default}. One
 * pipelined ZCARD per queue key (one pipeline per partition on Redis Cluster).
 */
public final class QueueDepths {
  public record Depth(String resourceClass, long ready, long delayed) {}

  private final SlotBatches batches;
  private final RunQueue queue;
  private final WorkerRegistry workers;
  private final InstantSource clock;

  public QueueDepths(SlotBatches batches, RunQueue queue, WorkerRegistry workers, InstantSource clock) {
    this.batches = batches;
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
    // one group per partition: its keys share the partition's hash slot, so on Redis Cluster it is one batch
    List<List<Request>> byPartition = new ArrayList<>(queue.partitions());
    for (int p = 0; p < queue.partitions(); p++) {
      QueueKeys keys = queue.keys(p);
      List<Request> requests = new ArrayList<>();
      for (String resourceClass : names) {
        for (String kind : TaskSpec.KINDS) {
          requests.add(Request.cmd(Command.ZCARD).arg(keys.ready(resourceClass, kind)));
          requests.add(Request.cmd(Command.ZCARD).arg(keys.delayed(resourceClass, kind)));
          // sized runs wait in queues of their own, counted with their class
          requests.add(Request.cmd(Command.ZCARD).arg(keys.readySized(resourceClass, kind)));
          requests.add(Request.cmd(Command.ZCARD).arg(keys.delayedSized(resourceClass, kind)));
        }
      }
      byPartition.add(requests);
    }
    return batches.batch(byPartition).map(replies -> {
      Map<String, long[]> readyAndDelayed = new LinkedHashMap<>();
      names.forEach(name -> readyAndDelayed.put(name, new long[2]));
      int i = 0;
      for (int p = 0; p < queue.partitions(); p++) {
        for (String resourceClass : names) {
          long[] sums = readyAndDelayed.get(resourceClass);
          for (int k = 0; k < TaskSpec.KINDS.size(); k++) {
            sums[0] += replies.get(i++).toLong();
            sums[1] += replies.get(i++).toLong();
            sums[0] += replies.get(i++).toLong();
            sums[1] += replies.get(i++).toLong();
          }
        }
      }
      List<Depth> out = new ArrayList<>();
      readyAndDelayed.forEach((name, sums) -> out.add(new Depth(name, sums[0], sums[1])));
      return out;
    });
  }
}
