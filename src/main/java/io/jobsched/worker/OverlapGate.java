package io.jobsched.worker;

import io.jobsched.job.Job;
import io.jobsched.queue.Claim;
import io.jobsched.run.Notice;
import io.jobsched.run.Run;
import io.jobsched.run.RunStatus;
import io.vertx.core.Future;

/**
 * Overlap policies, judged when a run starts rather than when its fire was promoted (up to the
 * look-ahead early, when the run before it may still finish in time): {@code forbid} skips the run if an
 * earlier one of its job is RUNNING; {@code replace} asks the earlier ones to stop. {@code allow} costs
 * nothing. A forced manual trigger ({@code context.forced}) is never skipped.
 */
final class OverlapGate {
  private final WorkerContext ctx;

  OverlapGate(WorkerContext ctx) {
    this.ctx = ctx;
  }

  /** Resolves to whether the run may execute; a skipped run is already recorded. */
  Future<Boolean> admit(Run run, Job job, Claim claim) {
    return switch (job.overlap()) {
      case ALLOW -> Future.succeededFuture(true);
      case FORBID -> Boolean.TRUE.equals(run.context() == null ? null : run.context().get("forced"))
          ? Future.succeededFuture(true)
          : ctx.running().skipIfOverlapping(run, claim.token(), Notice.owed(job, RunStatus.SKIPPED)).map(skipped -> {
            skipped.ifPresent(ctx.events()::changed);
            return skipped.isEmpty();
          });
      case REPLACE -> ctx.running().displaceEarlier(run).map(displaced -> {
        displaced.forEach(ctx.events()::cancel);
        return true;
      });
    };
  }
}
