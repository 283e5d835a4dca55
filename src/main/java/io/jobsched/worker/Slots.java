package io.jobsched.worker;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A worker's room, counted per resource class ({@code worker.capacity}) and per task kind
 * ({@code worker.kind_capacity}). A run takes one of each from before its claim is sent (so overlapping
 * claims can never take more than there is room for) until its task ends, or until it is given up unstarted;
 * recording the result happens after, outside the slot.
 */
final class Slots {
  private final Map<String, Integer> classCapacity;
  private final Map<String, Integer> kindCapacity;
  private final Map<String, Integer> classUsed = new HashMap<>();
  private final Map<String, Integer> kindUsed = new HashMap<>();

  Slots(Map<String, Integer> classCapacity, Map<String, Integer> kindCapacity) {
    this.classCapacity = classCapacity;
    this.kindCapacity = kindCapacity;
  }

  Set<String> classes() {
    return classCapacity.keySet();
  }

  int free(String resourceClass, String kind) {
    int forClass = classCapacity.get(resourceClass) - classUsed.getOrDefault(resourceClass, 0);
    int forKind = kindCapacity.getOrDefault(kind, Integer.MAX_VALUE) - kindUsed.getOrDefault(kind, 0);
    return Math.min(forClass, forKind);
  }

  int freeInClass(String resourceClass) {
    return classCapacity.get(resourceClass) - classUsed.getOrDefault(resourceClass, 0);
  }

  void take(String resourceClass, String kind, int n) {
    classUsed.merge(resourceClass, n, Integer::sum);
    kindUsed.merge(kind, n, Integer::sum);
  }

  void give(String resourceClass, String kind, int n) {
    take(resourceClass, kind, -n);
  }

  /** Capacity and slots in use of one resource class or task kind. */
  record Usage(int capacity, int inUse) {}

  Map<String, Usage> classUsage() {
    return usage(classCapacity, classUsed);
  }

  Map<String, Usage> kindUsage() {
    return usage(kindCapacity, kindUsed);
  }

  private static Map<String, Usage> usage(Map<String, Integer> capacity, Map<String, Integer> used) {
    Map<String, Usage> out = new java.util.TreeMap<>();
    capacity.forEach((name, cap) -> out.put(name, new Usage(cap, used.getOrDefault(name, 0))));
    return out;
  }

  boolean noneTaken() {
    return classUsed.values().stream().allMatch(n -> n == 0);
  }
}
