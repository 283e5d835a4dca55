package io.jobsched.worker;

import io.jobsched.job.ShellTask;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a command as a child process. Starting it and reading its output block, so they run on a
 * dedicated worker pool; the exit is observed through {@link Process#onExit()} without holding a thread.
 * Stopping signals the whole process tree: SIGTERM, then SIGKILL after the grace period.
 */
public final class ShellTaskRunner implements TaskRunner {
  /** Longer lines are cut so one runaway line cannot exhaust memory. */
  static final int MAX_LINE_CHARS = 32 * 1024;
  static final long OUTPUT_DRAIN_MS = 2_000;

  private final Vertx vertx;
  private final WorkerExecutor io;
  private final boolean enforce;
  private volatile ProcessLimits limits;

  public ShellTaskRunner(Vertx vertx, WorkerExecutor io) {
    this(vertx, io, false);
  }

  /** {@code enforce}: keep sized runs inside their memory and cpu ({@link ProcessLimits}, picked at first use). */
  public ShellTaskRunner(Vertx vertx, WorkerExecutor io, boolean enforce) {
    this.vertx = vertx;
    this.io = io;
    this.enforce = enforce;
  }

  /** Blocking (probes cgroupfs): called on the io pool, for sized runs only. */
  private ProcessLimits limits() {
    if (limits == null) {
      synchronized (this) {
        if (limits == null) {
          limits = enforce ? ProcessLimits.detect() : ProcessLimits.NONE;
          org.slf4j.LoggerFactory.getLogger(ShellTaskRunner.class).info("shell task limits: {}", limits.name());
        }
      }
    }
    return limits;
  }

  @Override
  public Future<RunningTask> start(TaskContext ctx) {
    ShellTask task = (ShellTask) ctx.job().task();
    Context context = vertx.getOrCreateContext();
    // only a sized run is wrapped: an unsized one starts exactly as before
    boolean sized = !ctx.run().needs().reservesNothing();
    ProcessLimits.Applied[] applied = new ProcessLimits.Applied[1];
    return io.executeBlocking(() -> {
      applied[0] = sized ? limits().apply(ctx.run().id(), ctx.run().needs(), task.command())
          : ProcessLimits.unchanged(task.command());
      return launch(task, applied[0].command(), ctx);
    }, false).map(process -> {
      Future<Void> out = io.executeBlocking(() -> pump(process.getInputStream(), "stdout", ctx.logs()), false);
      Future<Void> err = io.executeBlocking(() -> pump(process.getErrorStream(), "stderr", ctx.logs()), false);
      Future<Integer> exit = Future.fromCompletionStage(process.onExit(), context).map(Process::exitValue);
      // A background grandchild can hold the pipes open after the command exits: wait for the output
      // only a little beyond the exit, so such an orphan cannot hold the run forever.
      Future<TaskResult> result = exit.compose(code -> {
        Promise<Void> drained = Promise.promise();
        Future.join(out, err).onComplete(ar -> drained.tryComplete());
        long timer = vertx.setTimer(OUTPUT_DRAIN_MS, id -> drained.tryComplete());
        Future<Boolean> oomKilled = sized ? io.executeBlocking(applied[0]::finish, false)
            .otherwise(false) : Future.succeededFuture(false);
        return Future.join(drained.future(), oomKilled).map(v -> {
          vertx.cancelTimer(timer);
          return oomKilled.result() ? TaskResult.outOfMemory(code, ctx.run().needs().memoryMb())
              : code == 0 ? TaskResult.success(0) : TaskResult.failure(code, "exit code " + code);
        });
      });
      return (RunningTask) new ProcessTask(vertx, process, result);
    }).recover(errStart -> {
      if (sized && applied[0] != null) {
        io.executeBlocking(applied[0]::finish, false); // the run's cgroup, made before the launch failed
      }
      return Future.succeededFuture(RunningTask.ended(
          TaskResult.failure(null, "cannot start command: " + errStart.getMessage())));
    });
  }

  private static Process launch(ShellTask task, List<String> command, TaskContext ctx) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.putAll(task.env());
    ctx.identity().forEach((k, v) -> env.put("JOBSCHED_" + k, v));
    if (task.workdir() != null) {
      pb.directory(new File(task.workdir()));
    }
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return pb.start();
  }

  private static Void pump(InputStream in, String stream, LogSink sink) throws IOException {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        sink.line(stream, line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) : line);
      }
    }
    return null;
  }

  private record ProcessTask(Vertx vertx, Process process, Future<TaskResult> result) implements RunningTask {
    @Override
    public void stop(Duration grace) {
      // The command itself first, then its descendants (snapshot taken before anything is signalled): a shell
      // signalled after its children saw the running child die and went on to its next command before its own
      // SIGTERM arrived (`step; publish` published after a timeout, about 1 stop in 20).
      List<ProcessHandle> tree = new ArrayList<>();
      List<ProcessHandle> descendants = process.descendants().toList();
      tree.add(process.toHandle());
      tree.addAll(descendants);
      tree.forEach(ProcessHandle::destroy);
      vertx.setTimer(Math.max(1, grace.toMillis()), id -> {
        if (!result.isComplete()) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
        }
        tree.forEach(ProcessHandle::destroyForcibly);
      });
    }
  }
}
