package io.jobsched.worker;

import io.jobsched.job.Needs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Keeps a sized shell task inside its run's memory and cpu ({@code resources.memory_mb}, {@code resources.cpu}).
 * Picked once per worker, by what the machine allows ({@link #detect}): a cgroup per run (v2 when this process'
 * own cgroup has the memory controller enabled for children, else v1 memory and cpu hierarchies), else an
 * address-space rlimit set by {@code prlimit} (memory only), else none. Unsized runs are never wrapped.
 * Every method blocks (file system, cgroupfs): call it on a worker thread.
 */
interface ProcessLimits {
  /** What one run's limits need: the command to start instead, and how to read and clean up after its end. */
  interface Applied {
    List<String> command();

    /** After the process ended: whether the kernel killed it for its memory limit (then cleans up). */
    boolean finish();
  }

  /** {@code command} wrapped to run inside {@code needs}; the command itself when this strategy limits nothing. */
  Applied apply(UUID runId, Needs needs, List<String> command) throws IOException;

  /** Which path this is, for the log: "cgroup v2", "cgroup v1", "rlimit", "none". */
  String name();

  ProcessLimits NONE = new ProcessLimits() {
    @Override
    public Applied apply(UUID runId, Needs needs, List<String> command) {
      return unchanged(command);
    }

    @Override
    public String name() {
      return "none";
    }
  };

  static Applied unchanged(List<String> command) {
    return new Applied() {
      @Override
      public List<String> command() {
        return command;
      }

      @Override
      public boolean finish() {
        return false;
      }
    };
  }

  /** The first strategy that works here: cgroup v2, cgroup v1, prlimit, none. */
  static ProcessLimits detect() {
    ProcessLimits cgroups = CgroupLimits.detect(Path.of("/proc/self/cgroup"), Path.of("/sys/fs/cgroup"));
    if (cgroups != null) {
      return cgroups;
    }
    return Files.isExecutable(Path.of("/usr/bin/prlimit")) ? RLIMIT : NONE;
  }

  /**
   * Memory only, as an address-space limit ({@code prlimit --as}): an allocation past it fails inside the task
   * (malloc returns NULL; Python raises MemoryError), which usually exits non-zero. The kernel records no
   * kill, so the run ends FAILED with the task's own exit code, not {@code out_of_memory}.
   */
  ProcessLimits RLIMIT = new ProcessLimits() {
    @Override
    public Applied apply(UUID runId, Needs needs, List<String> command) {
      if (needs.memoryMb() == 0) {
        return unchanged(command);
      }
      List<String> wrapped = new ArrayList<>(List.of("/usr/bin/prlimit",
          "--as=" + (long) needs.memoryMb() * 1024 * 1024, "--"));
      wrapped.addAll(command);
      return unchanged(wrapped);
    }

    @Override
    public String name() {
      return "rlimit";
    }
  };
}
