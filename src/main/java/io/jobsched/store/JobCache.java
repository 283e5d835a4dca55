package io.jobsched.store;

import io.jobsched.job.Job;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed job definitions by (id, version). A version never changes once written, so an entry is never
 * stale; it is only evicted, least recently used first, so memory stays bounded however many jobs exist.
 * One per node, shared by the scheduler, the workers and the API (thread-safe).
 */
public final class JobCache {
  private record Key(String id, long version) {}

  private final Map<Key, Job> entries;

  public JobCache(int maxEntries) {
    this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Job> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /** The job at {@code version}, reading {@code document} only when it is not cached. */
  public Job get(String id, long version, String document) {
    Job cached = cached(id, version);
    if (cached != null) {
      return cached;
    }
    Job job = JobDocument.read(id, document);
    synchronized (entries) {
      entries.put(new Key(id, version), job);
    }
    return job;
  }

  /** The job at {@code version} if it is cached, else null. */
  public Job cached(String id, long version) {
    synchronized (entries) {
      return entries.get(new Key(id, version));
    }
  }
}
