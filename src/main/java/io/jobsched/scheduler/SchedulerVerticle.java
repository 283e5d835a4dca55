package io.jobsched.scheduler;

import io.jobsched.store.RunPartitions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Supplier;

/**
 * Promotes due jobs of the shards this node owns, every tick. A tick that finds a full batch goes on
 * at once, so a spike of due jobs is worked off without waiting for the next tick.
 */
public final class SchedulerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SchedulerVerticle.class);
  static final String WAKEUP_ADDRESS = "jobsched.queue.wakeup";
  private static final long PARTITION_CHECK_MS = 3_600_000;

  private final Promoter promoter;
  private final RunPartitions partitions;
  private final Supplier<List<String>> members;
  private final String self;
  private final int shards;
  private final long tickMs;
  private final PlannerStatistics statistics;
  private boolean busy;
  private boolean stopped;

  public SchedulerVerticle(Promoter promoter, RunPartitions partitions, Supplier<List<String>> members, String self,
                           int shards, long tickMs) {
    this.promoter = promoter;
    this.partitions = partitions;
    this.members = members;
    this.self = self;
    this.shards = shards;
    this.tickMs = tickMs;
    this.statistics = new PlannerStatistics(partitions);
  }

  public static String wakeupAddress() {
    return WAKEUP_ADDRESS;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(tickMs, id -> tick());
    vertx.setTimer(promoter.lookAheadCheckDelay().toMillis(), id -> adjustLookAhead());
    vertx.setPeriodic(PARTITION_CHECK_MS, id -> partitions.ensure()
        .onFailure(err -> log.warn("run partition maintenance failed: {}", err.getMessage())));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return Future.succeededFuture();
  }

  private void adjustLookAhead() {
    int[] owned = ShardOwnership.owned(members.get(), self, shards);
    Future<?> adjusted = owned.length > 0 && !stopped ? promoter.adjustLookAhead(owned) : Future.succeededFuture();
    adjusted.onComplete(ar -> {
      if (ar.failed()) {
        log.warn("estimating the look-ahead failed: {}", ar.cause().getMessage());
      }
      if (!stopped) {
        vertx.setTimer(promoter.lookAheadCheckDelay().toMillis(), id -> adjustLookAhead());
      }
    });
  }

  private void tick() {
    if (busy || stopped) {
      return;
    }
    busy = true;
    int[] owned = ShardOwnership.owned(members.get(), self, shards);
    promoteUntilDrained(owned, 0).onComplete(ar -> {
      busy = false;
      if (ar.failed()) {
        log.warn("promotion failed, retrying next tick: {}", ar.cause().getMessage());
      }
    });
  }

  private Future<Void> promoteUntilDrained(int[] owned, int rounds) {
    if (owned.length == 0 || stopped) {
      return Future.succeededFuture();
    }
    return promoter.promoteOnce(owned).compose(result -> {
      if (result.runsQueued() > 0) {
        // the look-ahead tells workers how far ahead to claim (worker.Reach)
        vertx.eventBus().publish(WAKEUP_ADDRESS, promoter.lookAhead().toMillis());
        // not awaited: promotion goes on while Postgres samples the partition
        statistics.inserted(result.runsQueued() + result.runsSkipped());
      }
      boolean more = result.jobs() >= promoter.batchSize() && rounds < 1000;
      return more ? promoteUntilDrained(owned, rounds + 1) : Future.succeededFuture();
    });
  }
}
