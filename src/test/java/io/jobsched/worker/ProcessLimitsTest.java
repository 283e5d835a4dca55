package io.jobsched.worker;

import io.jobsched.job.Needs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The strategy picked from what /proc/self/cgroup and the cgroup file system offer, and the rlimit fallback. */
class ProcessLimitsTest {
  @TempDir
  Path root;

  @Test
  void a_delegated_unified_cgroup_is_used_as_v2() throws Exception {
    Path proc = Files.writeString(root.resolve("cgroup"), "0::/worker.slice\n");
    Path own = Files.createDirectories(root.resolve("fs/worker.slice"));
    Files.writeString(own.resolve("cgroup.subtree_control"), "cpu memory pids\n");
    assertThat(CgroupLimits.detect(proc, root.resolve("fs")).name()).isEqualTo("cgroup v2");
  }

  @Test
  void a_unified_cgroup_without_the_memory_controller_falls_back_to_v1_hierarchies() throws Exception {
    Path proc = Files.writeString(root.resolve("cgroup"), "4:memory:/jobs\n1:cpu,cpuacct:/\n0::/\n");
    Files.createDirectories(root.resolve("fs/unified"));
    Files.writeString(root.resolve("fs/unified/cgroup.subtree_control"), "");
    Files.createDirectories(root.resolve("fs/memory/jobs"));
    Files.createDirectories(root.resolve("fs/cpu,cpuacct"));
    assertThat(CgroupLimits.detect(proc, root.resolve("fs")).name()).isEqualTo("cgroup v1");
  }

  @Test
  void no_usable_cgroup_is_none() throws Exception {
    Path proc = Files.writeString(root.resolve("cgroup"), "0::/\n");
    Files.createDirectories(root.resolve("fs"));
    Files.writeString(root.resolve("fs/cgroup.subtree_control"), "");
    assertThat(CgroupLimits.detect(proc, root.resolve("fs"))).isNull();
  }

  @Test
  void under_an_rlimit_an_allocation_past_it_fails_in_the_task_and_one_under_it_succeeds() throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/bin/prlimit"))).isTrue();
    Needs needs = new Needs(0, 256, 0);
    assertThat(exit(ProcessLimits.RLIMIT.apply(UUID.randomUUID(), needs,
        List.of("python3", "-c", "b = bytearray(600*1024*1024)")).command())).isNotZero();
    assertThat(exit(ProcessLimits.RLIMIT.apply(UUID.randomUUID(), needs,
        List.of("python3", "-c", "b = bytearray(16*1024*1024)")).command())).isZero();
  }

  private static int exit(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }
}
