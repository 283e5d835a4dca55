package io.jobsched.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Job creation alone: N cron jobs (job i at second i mod 60 of minute 0 of 1 January: parsed and planned as
 * any cron, but none fires while measured) through {@code POST /api/v1/jobs/batch} into the default node, in
 * rounds of {@code --round} jobs. Each round prints its rate and the CPU each process spent per job (node,
 * Postgres' processes, this client), read from /proc: on a machine whose cores they share, that says which
 * one saturates. The first round is a cold node's (its JIT compiles then); the rest are warm.
 */
final class CreateBench {
  private final int jobs;
  private final int round;
  private final List<String> nodeJvmArgs;
  private final String isolation = "bench_create_" + UUID.randomUUID().toString().substring(0, 8);

  CreateBench(Map<String, String> opts) {
    jobs = Integer.parseInt(opts.getOrDefault("jobs", "1000000"));
    round = Integer.parseInt(opts.getOrDefault("round", "200000"));
    nodeJvmArgs = IsolatedNode.jvmArgs(opts);
  }

  void run() throws Exception {
    try (IsolatedNode node = new IsolatedNode(isolation, nodeJvmArgs)) {
      System.out.printf("bench create: %,d cron jobs through POST /api/v1/jobs/batch in rounds of %,d, default node "
          + "(pid %d)%n", jobs, round, node.pid());
      JobLoader loader = new JobLoader(node.port);
      double coldRate = 0;
      long warmJobs = 0;
      double warmSeconds = 0;
      double[] warmCpu = new double[3];
      for (int first = 0; first < jobs; first += round) {
        int n = Math.min(round, jobs - first);
        int offset = first;
        double[] cpu0 = cpu(node.pid());
        long t0 = System.nanoTime();
        loader.load(n, i -> new JsonObject().put("id", "create-" + (offset + i))
            .put("schedule", new JsonObject().put("type", "cron").put("expression", ((offset + i) % 60) + " 0 0 1 1 *"))
            .put("task", new JsonObject().put("type", "noop")));
        double s = (System.nanoTime() - t0) / 1e9;
        double[] cpu1 = cpu(node.pid());
        System.out.printf("  jobs %,9d..%,9d: %,7.0f jobs/s  cpu µs/job: node %5.1f  postgres %5.1f  client %5.1f%n",
            first, first + n - 1, n / s, us(cpu1[0] - cpu0[0], n), us(cpu1[1] - cpu0[1], n), us(cpu1[2] - cpu0[2], n));
        if (first == 0) {
          coldRate = n / s;
        } else {
          warmJobs += n;
          warmSeconds += s;
          for (int k = 0; k < 3; k++) {
            warmCpu[k] += cpu1[k] - cpu0[k];
          }
        }
      }
      System.out.printf("create: jobs=%d cold_jobs_per_s=%.0f warm_jobs_per_s=%.0f warm_node_us=%.1f warm_pg_us=%.1f "
              + "warm_client_us=%.1f%n", jobs, coldRate, warmJobs == 0 ? Double.NaN : warmJobs / warmSeconds,
          us(warmCpu[0], warmJobs), us(warmCpu[1], warmJobs), us(warmCpu[2], warmJobs));
    }
  }

  private static double us(double cpuSeconds, long jobs) {
    return jobs == 0 ? Double.NaN : cpuSeconds * 1e6 / jobs;
  }

  /** CPU seconds so far of the node, of every Postgres process, and of this process (Linux /proc). */
  private static double[] cpu(long nodePid) throws IOException {
    double postgres = 0;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        try {
          String argv0 = new String(Files.readAllBytes(p.resolve("cmdline"))).split("\0", 2)[0];
          if (argv0.startsWith("postgres") || argv0.endsWith("/bin/postgres")) {
            postgres += cpuOf(p);
          }
        } catch (IOException gone) {
          // a backend that ended between the listing and the read
        }
      }
    }
    return new double[] {cpuOf(Path.of("/proc", Long.toString(nodePid))), postgres,
        cpuOf(Path.of("/proc", Long.toString(ProcessHandle.current().pid())))};
  }

  /** utime + stime of /proc/PID/stat, in seconds (USER_HZ is 100 on Linux). */
  private static double cpuOf(Path proc) throws IOException {
    String stat = Files.readString(proc.resolve("stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }
}
