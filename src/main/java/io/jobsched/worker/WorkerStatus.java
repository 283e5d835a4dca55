package io.jobsched.worker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a worker announces of itself ({@link WorkerRegistry}), in the API's JSON: id, node, version, the task
 * kinds it runs, capacity and slots in use per resource class and per task kind, its last heartbeat, and
 * when the entry expires (one lease later).
 */
final class WorkerStatus {
  private static final String VERSION = version();

  private WorkerStatus() {}

  static JsonObject of(String workerId, List<String> taskKinds, Slots slots, Instant heartbeat, Duration lease) {
    int slash = workerId.indexOf('/');
    return new JsonObject()
        .put("id", workerId)
        .put("node", slash > 0 ? workerId.substring(0, slash) : workerId)
        .put("version", VERSION)
        .put("task_kinds", new JsonArray(List.copyOf(taskKinds)))
        .put("resources", usage(slots.classUsage()))
        .put("kinds", usage(slots.kindUsage()))
        .put("last_heartbeat", heartbeat.toString())
        .put("expires_at", heartbeat.plus(lease).toString());
  }

  private static JsonObject usage(Map<String, Slots.Usage> byName) {
    JsonObject out = new JsonObject();
    byName.forEach((name, u) -> out.put(name, new JsonObject().put("capacity", u.capacity()).put("in_use", u.inUse())));
    return out;
  }

  /** The jar's version (its manifest's Implementation-Version); "dev" when run from classes. */
  private static String version() {
    String v = WorkerStatus.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
