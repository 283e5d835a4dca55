package io.jobsched.api.json;

import io.jobsched.job.Needs;
import io.vertx.core.json.JsonObject;

/**
 * The sizes inside a job's {@code resources}: {@code cpu} (cores, fractions down to a thousandth allowed:
 * 0.5 is half a core), {@code memory_mb} and {@code gpu} (whole numbers). Each defaults to 0, meaning no
 * reservation; bounds are {@link Needs}'s.
 */
final class ResourcesCodec {
  private ResourcesCodec() {
  }

  static Needs needs(JsonObject resources, JsonFields f) {
    Double cpu = f.number(resources, "cpu", "resources", 0, 0, Needs.MAX_CPU_MILLI / 1000.0);
    Integer memory = f.integer(resources, "memory_mb", "resources", 0, 0, Needs.MAX_MEMORY_MB);
    Integer gpu = f.integer(resources, "gpu", "resources", 0, 0, Needs.MAX_GPU);
    long cpuMilli = cpu == null ? 0 : Math.round(cpu * 1000);
    if (cpu != null && Math.abs(cpu * 1000 - cpuMilli) > 1e-6) {
      f.error("resources.cpu", "at most three decimals (a thousandth of a core)");
      return Needs.NONE;
    }
    if (cpu == null || memory == null || gpu == null) {
      return Needs.NONE;
    }
    return new Needs((int) cpuMilli, memory, gpu);
  }

  static JsonObject toJson(String resourceClass, Needs needs) {
    return new JsonObject().put("class", resourceClass).put("cpu", needs.cpu())
        .put("memory_mb", needs.memoryMb()).put("gpu", needs.gpu());
  }
}
