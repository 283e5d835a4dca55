package io.jobsched.worker;

import io.jobsched.config.JobschedConfig;
import io.jobsched.logs.LogShipper;
import io.jobsched.metrics.JobschedMetrics;
import io.jobsched.queue.RunQueue;
import io.jobsched.settle.ResultRecorder;
import io.jobsched.settle.RunEvents;
import io.jobsched.store.JobStore;
import io.jobsched.store.RunResults;
import io.jobsched.store.RunStore;
import io.jobsched.store.RunningRunStore;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

/** Builds a worker verticle and the task runners it needs. */
public final class Workers {
  /** Bounds what the process thread pool and the http connection pool are sized for. */
  private static final int MAX_PROCESSES = 1000;
  private static final int MAX_CONNECTIONS = 10_000;

  private Workers() {
  }

  public static WorkerVerticle create(Vertx vertx, JobschedConfig.Worker config, JobStore jobs, RunStore runs,
                                      RunningRunStore running, RunResults results, RunQueue queue,
                                      LogShipper logs, RunEvents events, WorkerRegistry registry,
                                      JobschedMetrics metrics, String workerId) {
    int processes = slotsFor(config, "shell", MAX_PROCESSES);
    // two output readers and the launch per running process; tasks may run for days, so no blocked-thread warnings
    WorkerExecutor io = vertx.createSharedWorkerExecutor("jobsched-task-io", 3 * processes + 2, 365, TimeUnit.DAYS);
    // one client for every http task; a connection per slot so tasks to one host never queue behind each other
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setName("jobsched-http-tasks"),
        new PoolOptions().setHttp1MaxSize(Math.max(slotsFor(config, "http", MAX_CONNECTIONS),
            PoolOptions.DEFAULT_MAX_POOL_SIZE)));
    TaskRunners runners = new TaskRunners(new ShellTaskRunner(vertx, io, config.enforceLimits()), new HttpTaskRunner(http),
        new EventBusTaskRunner(vertx), new NoopTaskRunner(vertx));
    WorkerContext ctx = new WorkerContext(workerId, jobs, runs, running, new RunningMarks(vertx, running, workerId),
        new ResultRecorder(vertx, results, queue, events, metrics), queue, logs, events, runners, InstantSource.system(),
        registry, metrics);
    return new WorkerVerticle(ctx, new Slots(config.capacity(), config.kindCapacity()), new Room(config.resources()),
        config.taskKinds(), new WorkerVerticle.WorkerTiming(config.pollMs(), config.leaseMs(), config.heartbeatMs(),
            config.drainMs(), config.preclaimMs(), config.reserveAfterMs()));
  }

  /** How many runs of {@code kind} may run at once: its kind capacity, else all class capacity, at most {@code max}. */
  private static int slotsFor(JobschedConfig.Worker config, String kind, int max) {
    int classes = config.capacity().values().stream().mapToInt(Integer::intValue).reduce(0, (a, b) -> (int) Math.min((long) a + b, max));
    return Math.min(classes, config.kindCapacity().getOrDefault(kind, max));
  }
}
