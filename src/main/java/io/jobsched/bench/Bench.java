package io.jobsched.bench;

import io.jobsched.config.ConfigLoader;
import io.jobsched.config.JobschedConfig;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -cp target/jobsched.jar io.jobsched.bench.Bench promote --jobs 100000 [--batch 1000] [--loops 2]}
 * (or {@code scripts/bench.sh promote ...}): measurements against the local services, printed, never asserted.
 */
public final class Bench {
  private Bench() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("promote")) {
      System.err.println("usage: bench promote --jobs N [--batch B] [--loops L]");
      System.exit(2);
    }
    Map<String, Integer> opts = options(List.of(args).subList(1, args.length));
    JobschedConfig cfg = ConfigLoader.load(System.getenv());
    new PromoteBench(cfg, opts.getOrDefault("jobs", 100_000), opts.getOrDefault("batch", cfg.scheduler().batchSize()),
        opts.getOrDefault("loops", 2)).run();
    System.exit(0);
  }

  private static Map<String, Integer> options(List<String> args) {
    Map<String, Integer> out = new HashMap<>();
    for (int i = 0; i + 1 < args.size(); i += 2) {
      if (!args.get(i).startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args.get(i));
      }
      out.put(args.get(i).substring(2), Integer.parseInt(args.get(i + 1)));
    }
    return out;
  }
}
