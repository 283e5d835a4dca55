package io.jobsched.job;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared instance per distinct value of the small immutable parts of job definitions (policies,
 * durations, tasks without arguments). A worker holding a 200,000-run spike held 200,000 equal retry,
 * timeout and misfire policies and a million equal durations: 40 MB of heap, all marked by every GC cycle.
 * Bounded: once {@value #MAX} distinct values are kept, further ones are used as they are.
 */
final class Interned {
  private static final int MAX = 4096;
  private static final ConcurrentHashMap<Object, Object> VALUES = new ConcurrentHashMap<>();

  private Interned() {
  }

  @SuppressWarnings("unchecked")
  static <T> T of(T value) {
    if (value == null) {
      return null;
    }
    Object shared = VALUES.get(value);
    if (shared != null) {
      return (T) shared;
    }
    if (VALUES.size() >= MAX) {
      return value;
    }
    shared = VALUES.putIfAbsent(value, value);
    return shared == null ? value : (T) shared;
  }
}
