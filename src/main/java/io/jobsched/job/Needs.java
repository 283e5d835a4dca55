package io.jobsched.job;

/**
 * What one run of a job reserves on its worker: cpu in thousandths of a core, memory in MiB, whole GPUs.
 * All zero ({@link #NONE}) is the default and means "no reservation": such a run takes only its class and
 * kind slots, and is claimed on the unsized path exactly as before resources existed.
 *
 * <p>Stored and queued as {@link #wire()}, {@code "<cpu_milli>,<memory_mb>,<gpu>"}, so a Lua claim can
 * compare it with a worker's free amounts without decoding JSON.
 */
public record Needs(int cpuMilli, int memoryMb, int gpu) {
  public static final Needs NONE = new Needs(0, 0, 0);
  /** Bounds the API enforces: 1024 cores, 16 TiB, 64 GPUs. */
  public static final int MAX_CPU_MILLI = 1024 * 1000;
  public static final int MAX_MEMORY_MB = 16 * 1024 * 1024;
  public static final int MAX_GPU = 64;

  public Needs {
    if (cpuMilli < 0 || memoryMb < 0 || gpu < 0) {
      throw new IllegalArgumentException("negative resource need");
    }
  }

  /** True when the run reserves nothing (the default). */
  public boolean reservesNothing() {
    return cpuMilli == 0 && memoryMb == 0 && gpu == 0;
  }

  /** True when every need is at most what {@code room} offers. */
  public boolean fitsIn(Needs room) {
    return cpuMilli <= room.cpuMilli && memoryMb <= room.memoryMb && gpu <= room.gpu;
  }

  public Needs plus(Needs o) {
    return new Needs(cpuMilli + o.cpuMilli, memoryMb + o.memoryMb, gpu + o.gpu);
  }

  /** Never below zero: a worker whose totals shrank under its running runs has nothing free. */
  public Needs minus(Needs o) {
    return new Needs(Math.max(0, cpuMilli - o.cpuMilli), Math.max(0, memoryMb - o.memoryMb), Math.max(0, gpu - o.gpu));
  }

  /** Cores as the API writes them: a whole number when whole, else a fraction (0.5). */
  public Number cpu() {
    return cpuMilli % 1000 == 0 ? (Number) (cpuMilli / 1000) : (Number) (cpuMilli / 1000.0);
  }

  /** Null for {@link #NONE}: an unsized run stores and queues nothing extra. */
  public String wire() {
    return reservesNothing() ? null : cpuMilli + "," + memoryMb + "," + gpu;
  }

  /** Reads {@link #wire()}; null or empty is {@link #NONE}. */
  public static Needs fromWire(String wire) {
    if (wire == null || wire.isEmpty()) {
      return NONE;
    }
    String[] p = wire.split(",");
    return new Needs(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
  }

  /** The first need {@code room} lacks, as "cpu 8" / "memory_mb 4096" / "gpu 1"; null when it fits. */
  public String firstShortfall(Needs room) {
    if (cpuMilli > room.cpuMilli) {
      return "cpu " + cpu();
    }
    if (memoryMb > room.memoryMb) {
      return "memory_mb " + memoryMb;
    }
    return gpu > room.gpu ? "gpu " + gpu : null;
  }
}
