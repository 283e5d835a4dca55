package io.jobsched.worker;

import io.jobsched.run.Run;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a worker announces of itself ({@link WorkerRegistry}), in the API's JSON: id, node, version, the task
 * kinds it runs, capacity and slots in use per resource class and per task kind, the cpu, memory and GPUs it
 * offers sized runs (total, used, free), its last heartbeat, and when the entry expires (one lease later).
 */
final class WorkerStatus {
  private static final String VERSION = version();

  private WorkerStatus() {}

  /**
   * {@code active}: the runs the worker holds or runs, which occupy its slots (slots reserved for a claim still
   * in flight are not counted: they are given back as soon as the claim answers).
   */
  static JsonObject of(String workerId, List<String> taskKinds, Slots slots, Room room, java.util.UUID reservedFor,
                       Collection<Run> active, Instant heartbeat, Duration lease) {
    Map<String, Integer> byClass = new TreeMap<>();
    Map<String, Integer> byKind = new TreeMap<>();
    for (Run run : active) {
      byClass.merge(run.resourceClass(), 1, Integer::sum);
      byKind.merge(run.taskKind(), 1, Integer::sum);
    }
    int slash = workerId.indexOf('/');
    JsonObject status = new JsonObject()
        .put("id", workerId)
        .put("node", slash > 0 ? workerId.substring(0, slash) : workerId)
        .put("version", VERSION)
        .put("task_kinds", new JsonArray(List.copyOf(taskKinds)))
        .put("resources", usage(slots.classCapacity(), byClass))
        .put("kinds", usage(slots.kindCapacity(), byKind))
        .put("cpu", amounts(cores(room.totals().cpuMilli()), cores(room.used().cpuMilli())))
        .put("memory_mb", amounts(room.totals().memoryMb(), room.used().memoryMb()))
        .put("gpu", amounts(room.totals().gpu(), room.used().gpu()))
        .put("last_heartbeat", heartbeat.toString())
        .put("expires_at", heartbeat.plus(lease).toString());
    // the sized run this worker keeps its room for (fairness): it claims no other sized run meanwhile
    return reservedFor == null ? status : status.put("reserved_for", reservedFor.toString());
  }

  private static JsonObject usage(Map<String, Integer> capacity, Map<String, Integer> inUse) {
    JsonObject out = new JsonObject();
    new TreeMap<>(capacity).forEach((name, cap) -> out.put(name, new JsonObject().put("capacity", cap)
        .put("in_use", inUse.getOrDefault(name, 0))));
    return out;
  }

  /** What sized runs may reserve ({@code worker.resources}): total, held by runs, free. */
  private static JsonObject amounts(Number total, Number used) {
    double free = Math.max(0, total.doubleValue() - used.doubleValue());
    return new JsonObject().put("total", total).put("used", used)
        .put("free", total instanceof Integer && used instanceof Integer ? (Number) (int) free : (Number) free);
  }

  private static Number cores(int milli) {
    return new io.jobsched.job.Needs(milli, 0, 0).cpu();
  }

  /** The jar's version (its manifest's Implementation-Version); "dev" when run from classes. */
  private static String version() {
    String v = WorkerStatus.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
