package io.jobsched.bench;

import io.jobsched.config.ConfigLoader;
import io.jobsched.config.JobschedConfig;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code scripts/bench.sh promote|run [--name value ...]}: measurements against the local services, printed,
 * never asserted. Only dispatches; each benchmark is a class of its own.
 */
public final class Bench {
  private static final String USAGE = """
      usage: bench promote --jobs N [--batch B] [--loops L]
             bench run [--runs N] [--task noop] [--capacity C] [--look-ahead-ms MS] [--spike 1|0 [--spread-ms MS]]
                       [--lead-ms MS] [--deadline-s S] [--sync-commit on|off] [--batch B] [--pg-pool P] [--redis-pool R]
             bench api [--runs N] [--mode spike|rate] [--rate R] [--priorities P1,P2,..] [--lead-ms MS] [--deadline-s S]
             bench create [--jobs N] [--round R] [--node-jvm-args ARGS]
             bench scale [--jobs N] [--minutes M] [--node-jvm-args ARGS]
             bench history [--months 12] [--runs-per-month 1000000] [--cold-months 1] [--node-jvm-args ARGS]
             bench dashboard [--jobs 100000] [--runs 1000000] [--rounds 5] [--node-jvm-args ARGS]""";

  private Bench() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage();
    }
    Map<String, String> opts = options(List.of(args).subList(1, args.length));
    switch (args[0]) {
      case "promote" -> {
        JobschedConfig cfg = ConfigLoader.load(System.getenv());
        new PromoteBench(cfg, intOpt(opts, "jobs", 100_000), intOpt(opts, "batch", cfg.scheduler().batchSize()),
            intOpt(opts, "loops", 2)).run();
      }
      case "run" -> new RunBench(opts).run();
      case "api" -> new ApiBench(opts).run();
      case "create" -> new CreateBench(opts).run();
      case "scale" -> new ScaleBench(opts).run();
      case "history" -> new HistoryBench(opts).run();
      case "dashboard" -> new DashboardBench(opts).run();
      default -> usage();
    }
    System.exit(0);
  }

  private static void usage() {
    System.err.println(USAGE);
    System.exit(2);
  }

  private static int intOpt(Map<String, String> opts, String name, int otherwise) {
    return opts.containsKey(name) ? Integer.parseInt(opts.get(name)) : otherwise;
  }

  private static Map<String, String> options(List<String> args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.size(); i += 2) {
      if (!args.get(i).startsWith("--") || i + 1 >= args.size()) {
        throw new IllegalArgumentException("expected --name value, got " + args.get(i));
      }
      out.put(args.get(i).substring(2), args.get(i + 1));
    }
    return out;
  }
}
