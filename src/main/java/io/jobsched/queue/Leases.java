package io.jobsched.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Reads a claimed run's lease, for people looking at a run: when its worker's claim lapses unless renewed. */
public final class Leases {
  private final Redis redis;
  private final RunQueue queue;

  public Leases(Redis redis, RunQueue queue) {
    this.redis = redis;
    this.queue = queue;
  }

  /** When the lease on {@code runId} expires (Redis' clock); empty when no worker holds the run. */
  public Future<Optional<Instant>> expiry(String jobId, UUID runId) {
    String leases = queue.keys(queue.partitionOf(jobId)).leases();
    return redis.send(Request.cmd(Command.ZSCORE).arg(leases).arg(runId.toString()))
        .map(score -> score == null ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(score.toLong())));
  }
}
