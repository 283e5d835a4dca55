package io.jobsched.worker;

import io.jobsched.job.Needs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A cgroup per sized run, made under this worker's own cgroup (so it needs no more right than to manage its
 * own subtree): memory limit and cpu quota written before the task starts, the task moved in by a wrapping
 * shell before it execs the command (so not one byte is allocated outside), and after the end the kernel's
 * {@code oom_kill} counter of that cgroup says whether it was killed for memory. v2: {@code memory.max},
 * {@code memory.swap.max}, {@code cpu.max}, {@code memory.events}; v1: {@code memory.limit_in_bytes},
 * {@code memory.memsw.limit_in_bytes}, {@code cpu.cfs_quota_us}, {@code memory.oom_control}.
 */
final class CgroupLimits implements ProcessLimits {
  private static final Logger log = LoggerFactory.getLogger(CgroupLimits.class);
  private static final long PERIOD_US = 100_000;

  private final boolean v2;
  /** Where per-run cgroups go: one directory (v2), or memory then cpu (v1; cpu may be null). */
  private final Path memoryParent;
  private final Path cpuParent;

  private CgroupLimits(boolean v2, Path memoryParent, Path cpuParent) {
    this.v2 = v2;
    this.memoryParent = memoryParent;
    this.cpuParent = cpuParent;
  }

  @Override
  public String name() {
    return v2 ? "cgroup v2" : "cgroup v1";
  }

  /** The cgroup strategy this process may use, or null: probed by making and removing a child cgroup. */
  static CgroupLimits detect(Path procCgroup, Path root) {
    List<String> lines;
    try {
      lines = Files.readAllLines(procCgroup);
    } catch (IOException e) {
      return null;
    }
    String unified = null;
    String memory = null;
    String cpu = null;
    for (String line : lines) {
      String[] f = line.split(":", 3);
      if (f.length < 3) {
        continue;
      }
      if (f[0].equals("0") && f[1].isEmpty()) {
        unified = f[2];
      } else if (List.of(f[1].split(",")).contains("memory")) {
        memory = root.resolve(f[1]).toString() + f[2];
      } else if (List.of(f[1].split(",")).contains("cpu")) {
        cpu = root.resolve(f[1]).toString() + f[2];
      }
    }
    if (unified != null) {
      Path own = Path.of(root + (Files.isDirectory(root.resolve("unified")) ? "/unified" : "") + unified);
      if (readable(own.resolve("cgroup.subtree_control")).contains("memory") && probe(own)) {
        return new CgroupLimits(true, own, null);
      }
    }
    if (memory != null && probe(Path.of(memory))) {
      Path cpuDir = cpu != null && probe(Path.of(cpu)) ? Path.of(cpu) : null;
      return new CgroupLimits(false, Path.of(memory), cpuDir);
    }
    return null;
  }

  private static boolean probe(Path parent) {
    Path dir = parent.resolve("jobsched-probe-" + ProcessHandle.current().pid());
    try {
      Files.createDirectory(dir);
      Files.delete(dir);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static String readable(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public Applied apply(UUID runId, Needs needs, List<String> command) throws IOException {
    String name = "jobsched-run-" + runId;
    List<Path> dirs = new ArrayList<>();
    Path memoryDir = memoryParent.resolve(name);
    Files.createDirectory(memoryDir);
    dirs.add(memoryDir);
    long bytes = (long) needs.memoryMb() * 1024 * 1024;
    long quota = Math.max(1000, needs.cpuMilli() * PERIOD_US / 1000);
    if (v2) {
      if (bytes > 0) {
        Files.writeString(memoryDir.resolve("memory.max"), Long.toString(bytes));
        writeIfPresent(memoryDir.resolve("memory.swap.max"), "0");
      }
      if (needs.cpuMilli() > 0) {
        writeIfPresent(memoryDir.resolve("cpu.max"), quota + " " + PERIOD_US);
      }
    } else {
      if (bytes > 0) {
        Files.writeString(memoryDir.resolve("memory.limit_in_bytes"), Long.toString(bytes));
        // memory and swap together: without it a task past its limit swaps instead of being killed
        writeIfPresent(memoryDir.resolve("memory.memsw.limit_in_bytes"), Long.toString(bytes));
      }
      if (cpuParent != null && needs.cpuMilli() > 0) {
        Path cpuDir = cpuParent.resolve(name);
        Files.createDirectory(cpuDir);
        dirs.add(cpuDir);
        Files.writeString(cpuDir.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
        Files.writeString(cpuDir.resolve("cpu.cfs_quota_us"), Long.toString(quota));
      }
    }
    StringBuilder enter = new StringBuilder();
    for (Path dir : dirs) {
      enter.append("echo $$ > '").append(dir.resolve("cgroup.procs")).append("' && ");
    }
    List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", enter + "exec \"$@\"", "jobsched-limits"));
    wrapped.addAll(command);
    return new Applied() {
      @Override
      public List<String> command() {
        return wrapped;
      }

      @Override
      public boolean finish() {
        boolean killed = oomKills(memoryDir) > 0;
        for (Path dir : dirs) {
          try {
            Files.delete(dir);
          } catch (IOException e) {
            // a descendant that outlived the task keeps it busy; it is named after the run, for an operator
            log.warn("cgroup {} not removed: {}", dir, e.toString());
          }
        }
        return killed;
      }
    };
  }

  private long oomKills(Path dir) {
    String text = readable(dir.resolve(v2 ? "memory.events" : "memory.oom_control"));
    for (String line : text.split("\n")) {
      if (line.startsWith("oom_kill ")) {
        return Long.parseLong(line.substring("oom_kill ".length()).trim());
      }
    }
    return 0;
  }

  private static void writeIfPresent(Path file, String value) throws IOException {
    if (Files.exists(file)) {
      Files.writeString(file, value);
    }
  }
}
