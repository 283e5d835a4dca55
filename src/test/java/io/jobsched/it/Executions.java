package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What tasks really did, as opposed to what the runs table says: a shell task made by {@link #task} appends
 * one line when it starts and one when its work ends, so a test counts executions, not rows. An execution
 * killed with its worker (or stopped by a timeout, a cancel, a lost lease) shows as a start without an end.
 *
 * <p>Each line names the job, the run, the attempt, the fire ({@code scheduled_for}) and the shell's pid, all
 * from the {@code JOBSCHED_*} variables every shell task gets. Lines are short single {@code write}s in
 * append mode, so concurrent tasks cannot interleave within a line.
 *
 * <p>{@link #GATED} work blocks until the test opens the run's or the job's gate: the test, not the clock,
 * decides when such a task finishes, so "still running when the fault hits" holds by construction.
 */
final class Executions {
  /** Work that waits for {@link #open} of its run id or job id. */
  static final String GATED = "while [ ! -e \"$GATES/open-$JOBSCHED_RUN_ID\" ] && [ ! -e \"$GATES/open-$JOBSCHED_JOB_ID\" ];"
      + " do sleep 0.1; done";

  /** One execution of a task: {@code exitCode} is null while it has not ended (still running, or killed). */
  record Execution(String jobId, String runId, int attempt, String scheduledFor, long pid, Integer exitCode) {
    boolean ended() {
      return exitCode != null;
    }

    boolean succeeded() {
      return exitCode != null && exitCode == 0;
    }

    /** The shell of this execution still exists (not exited, not a zombie). */
    boolean alive() {
      return Executions.alive(pid);
    }
  }

  private final Path dir;
  private final Path log;

  private Executions(Path dir) {
    this.dir = dir;
    this.log = dir.resolve("executions.log");
  }

  static Executions create(String name) {
    try {
      return new Executions(Files.createTempDirectory("jobsched-exec-" + name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A shell task that records its execution around {@code work} (run in a subshell, so an {@code exit} in it
   * still records the end) and exits with the work's status.
   */
  JsonObject task(String work) {
    String id = "$JOBSCHED_JOB_ID $JOBSCHED_RUN_ID $JOBSCHED_ATTEMPT $JOBSCHED_SCHEDULED_FOR $$";
    String script = "GATES='" + dir + "'; export GATES; "
        + "echo \"start " + id + "\" >> '" + log + "'; "
        + "( " + work + " ); rc=$?; "
        + "echo \"end " + id + " $rc\" >> '" + log + "'; exit $rc";
    return new JsonObject().put("type", "shell").put("command", new JsonArray().add("/bin/sh").add("-c").add(script));
  }

  /** {@link #task} as the JSON text of a job's {@code task} field. */
  String taskJson(String work) {
    return task(work).encode();
  }

  /** The file every execution appends its start and end lines to. */
  Path log() {
    return log;
  }

  /** Lets every gated execution of this run id (or, given a job id, of every run of that job) finish. */
  void open(String runOrJobId) {
    try {
      Files.writeString(dir.resolve("open-" + runOrJobId), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every execution so far, in the order they started. */
  List<Execution> all() {
    List<String> lines;
    try {
      String text = Files.readString(log);
      // a line still being appended has no newline yet: leave it for the next read
      int complete = text.lastIndexOf('\n') + 1;
      lines = text.substring(0, complete).lines().toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Execution> byShell = new LinkedHashMap<>();
    for (String line : lines) {
      String[] f = line.split(" ");
      String key = f[2] + "/" + f[5];
      if (f[0].equals("start")) {
        byShell.put(key, new Execution(f[1], f[2], Integer.parseInt(f[3]), f[4], Long.parseLong(f[5]), null));
      } else {
        Execution s = byShell.get(key);
        byShell.put(key, new Execution(s.jobId(), s.runId(), s.attempt(), s.scheduledFor(), s.pid(), Integer.parseInt(f[6])));
      }
    }
    return new ArrayList<>(byShell.values());
  }

  /**
   * The most executions of these jobs that were running at once, from the start and end lines in the order the
   * tasks appended them. Exact where timestamps are not: a worker starts the next task only after the last one
   * wrote its end line and exited, whereas the run's recorded started_at and finished_at come from the node
   * and Postgres clocks and can overlap by the time a result waits to be written.
   */
  int mostAtOnce(java.util.Collection<String> jobIds) {
    String text;
    try {
      text = Files.readString(log);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int open = 0;
    int most = 0;
    for (String line : text.substring(0, text.lastIndexOf('\n') + 1).lines().toList()) {
      String[] f = line.split(" ");
      if (jobIds.contains(f[1])) {
        open += f[0].equals("start") ? 1 : -1;
        most = Math.max(most, open);
      }
    }
    return most;
  }

  List<Execution> ofJob(String jobId) {
    return all().stream().filter(e -> e.jobId().equals(jobId)).toList();
  }

  List<Execution> ofRun(String runId) {
    return all().stream().filter(e -> e.runId().equals(runId)).toList();
  }

  /** Whether an execution of this run has started and has not ended. */
  boolean running(String runId) {
    return ofRun(runId).stream().anyMatch(e -> !e.ended());
  }

  /** Whether process {@code pid} exists and is not a zombie. */
  static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // "pid (comm) S ...": the state follows the last ')', comm may contain anything
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path dir() {
    return dir;
  }
}
