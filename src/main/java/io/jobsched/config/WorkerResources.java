package io.jobsched.config;

import io.jobsched.job.Needs;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.util.Set;

/**
 * {@code worker.resources}: {@code {"cpu": cores, "memory_mb": MiB, "gpu": n}}, what a worker offers to sized
 * runs. A key left out takes the machine's amount: available processors, physical memory (the JVM's
 * OperatingSystemMXBean), 0 GPUs (none are detected). A configured amount may exceed the machine's: it is what
 * the worker promises, e.g. a "4-core worker" in a test on a 2-core box.
 */
final class WorkerResources {
  private WorkerResources() {
  }

  static Needs parse(ConfigSection w) {
    JsonObject o = w.objectOrEmpty("resources");
    for (String key : o.fieldNames()) {
      if (!Set.of("cpu", "memory_mb", "gpu").contains(key)) {
        throw w.bad("resources." + key, "unknown key (expected cpu, memory_mb, gpu)");
      }
    }
    int cpuMilli = o.getValue("cpu") == null ? Runtime.getRuntime().availableProcessors() * 1000
        : (int) Math.round(number(w, o, "cpu", Needs.MAX_CPU_MILLI / 1000.0) * 1000);
    int memoryMb = o.getValue("memory_mb") == null ? machineMemoryMb()
        : (int) number(w, o, "memory_mb", Needs.MAX_MEMORY_MB);
    int gpu = o.getValue("gpu") == null ? 0 : (int) number(w, o, "gpu", Needs.MAX_GPU);
    if ((o.getValue("memory_mb") != null && memoryMb != o.getDouble("memory_mb"))
        || (o.getValue("gpu") != null && gpu != o.getDouble("gpu"))) {
      throw w.bad("resources", "memory_mb and gpu must be whole numbers");
    }
    return new Needs(cpuMilli, memoryMb, gpu);
  }

  private static double number(ConfigSection w, JsonObject o, String key, double max) {
    if (!(o.getValue(key) instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > max) {
      throw w.bad("resources." + key, "expected a number between 0 and " + (long) max);
    }
    return n.doubleValue();
  }

  private static int machineMemoryMb() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return (int) Math.min(Needs.MAX_MEMORY_MB, os.getTotalMemorySize() / (1024 * 1024));
    }
    return 0;
  }
}
