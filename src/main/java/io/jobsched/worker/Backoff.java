package io.jobsched.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Pauses claiming after a failure (Redis or Postgres away), doubling up to 5 s: no hot loop while down. */
final class Backoff {
  private static final Logger log = LoggerFactory.getLogger(Backoff.class);
  private static final long MAX_MS = 5_000;

  private long delayMs;
  private long untilMs;

  boolean pausing() {
    return System.currentTimeMillis() < untilMs;
  }

  void failed(Throwable cause) {
    delayMs = delayMs == 0 ? 100 : Math.min(MAX_MS, delayMs * 2);
    untilMs = System.currentTimeMillis() + delayMs;
    log.warn("claiming failed, backing off {} ms: {}", delayMs, cause.getMessage());
  }

  void succeeded() {
    delayMs = 0;
  }
}
