package io.jobsched.run;

import io.jobsched.job.Needs;

import java.util.List;
import java.util.Set;

/**
 * Whether any live worker could ever run a run: one that serves its resource class and task kind and whose
 * totals cover its needs (what is free now does not matter: a busy worker frees up). The answer is the reason
 * a PENDING run waits, shown as {@code waiting_for}, or null when some worker could take it. Pure: the caller
 * reads the live workers.
 */
public final class Placement {
  /** What one live worker offers: the classes and kinds it serves, and its totals for sized runs. */
  public record Offer(String workerId, Set<String> classes, Set<String> kinds, Needs totals) {}

  private Placement() {
  }

  /** Why no live worker could ever run it, or null when one could. */
  public static String waitingFor(String resourceClass, String taskKind, Needs needs, List<Offer> live) {
    List<Offer> serving = live.stream()
        .filter(o -> o.classes().contains(resourceClass) && o.kinds().contains(taskKind)).toList();
    if (serving.isEmpty()) {
      return "no live worker serves resource class " + resourceClass + " and task kind " + taskKind;
    }
    if (serving.stream().anyMatch(o -> needs.fitsIn(o.totals()))) {
      return null;
    }
    int cpu = serving.stream().mapToInt(o -> o.totals().cpuMilli()).max().orElse(0);
    int mem = serving.stream().mapToInt(o -> o.totals().memoryMb()).max().orElse(0);
    int gpu = serving.stream().mapToInt(o -> o.totals().gpu()).max().orElse(0);
    Needs largest = new Needs(cpu, mem, gpu);
    if (needs.cpuMilli() > cpu) {
      return "no live worker has cpu " + needs.cpu() + " in total (largest: " + largest.cpu() + ")";
    }
    if (needs.memoryMb() > mem) {
      return "no live worker has memory_mb " + needs.memoryMb() + " in total (largest: " + mem + ")";
    }
    if (needs.gpu() > gpu) {
      return "no live worker has gpu " + needs.gpu() + " in total (largest: " + gpu + ")";
    }
    return "no live worker has cpu " + needs.cpu() + ", memory_mb " + needs.memoryMb() + " and gpu " + needs.gpu()
        + " in total at once";
  }
}
