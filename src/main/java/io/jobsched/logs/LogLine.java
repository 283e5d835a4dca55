package io.jobsched.logs;

import java.time.Instant;
import java.util.UUID;

/** One line of a task's output; {@code seq} counts lines of a run across both streams, from 1. */
public record LogLine(UUID runId, String jobId, String stream, long seq, Instant ts, String line) {
  /** Stable id, so re-indexing a line after a crash overwrites instead of duplicating it. */
  public String docId() {
    return runId + ":" + seq;
  }
}
