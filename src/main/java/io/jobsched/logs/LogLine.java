package io.jobsched.logs;

import java.time.Instant;
import java.util.UUID;

/**
 * One line of a task's output; {@code seq} counts lines of a run across both streams, from 1. {@code namespace}
 * is the job's, so a search can keep to the caller's namespaces (null for lines shipped before it was carried).
 */
public record LogLine(UUID runId, String jobId, String namespace, String stream, long seq, Instant ts, String line) {
  /** Stable id, so re-indexing a line after a crash overwrites instead of duplicating it. */
  public String docId() {
    return runId + ":" + seq;
  }
}
