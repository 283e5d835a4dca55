package io.jobsched.worker;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A worker's capacity per resource class. A slot is taken by a running execution, or reserved by a claim in
 * flight (from before the claim is sent until its runs are executing), so overlapping claims can never
 * take more runs than the class has room for.
 */
final class Slots {
  private final Map<String, Integer> capacity;
  private final Map<String, Integer> reserved = new HashMap<>();

  Slots(Map<String, Integer> capacity) {
    this.capacity = capacity;
  }

  Set<String> classes() {
    return capacity.keySet();
  }

  int free(String resourceClass, Collection<RunExecution> running) {
    int used = reserved.getOrDefault(resourceClass, 0);
    for (RunExecution e : running) {
      if (e.resourceClass().equals(resourceClass)) {
        used++;
      }
    }
    return capacity.get(resourceClass) - used;
  }

  void reserve(String resourceClass, int n) {
    reserved.merge(resourceClass, n, Integer::sum);
  }

  void unreserve(String resourceClass, int n) {
    reserved.merge(resourceClass, -n, Integer::sum);
  }

  boolean noneReserved() {
    return reserved.values().stream().allMatch(n -> n == 0);
  }
}
