package io.jobsched.worker;

import io.jobsched.config.JobschedConfig;
import io.jobsched.logs.LogShipper;
import io.jobsched.queue.RunQueue;
import io.jobsched.store.RunStore;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

/** Builds a worker verticle and the task runners it needs. */
public final class Workers {
  private Workers() {
  }

  public static WorkerVerticle create(Vertx vertx, JobschedConfig.Worker config, RunStore runs, RunQueue queue,
                                      LogShipper logs, RunEvents events, String workerId) {
    int slots = config.capacity().values().stream().mapToInt(Integer::intValue).sum();
    // two output readers and the launch per running process; tasks may run for days, so no blocked-thread warnings
    WorkerExecutor io = vertx.createSharedWorkerExecutor("jobsched-task-io", 3 * slots + 2, 365, TimeUnit.DAYS);
    TaskRunners runners = new TaskRunners(new ShellTaskRunner(vertx, io), new NoopTaskRunner(vertx));
    WorkerContext ctx = new WorkerContext(runs, queue, logs, events, runners, InstantSource.system());
    return new WorkerVerticle(ctx, workerId, config.capacity(), config.pollMs(), config.leaseMs(),
        config.heartbeatMs(), config.drainMs());
  }
}
