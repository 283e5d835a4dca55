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

  Map<String, Integer> classCapacity() {
    return classCapacity;
  }

  Map<String, Integer> kindCapacity() {
    return kindCapacity;
  }

  boolean noneTaken() {
    return classUsed.values().stream().allMatch(n -> n == 0);
  }
}
