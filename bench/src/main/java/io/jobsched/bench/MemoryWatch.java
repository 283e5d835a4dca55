package io.jobsched.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Peak heap in use, sampled on a timer of its own (a sample between two GCs sees the garbage too, which is
 * what the heap must hold), and the process' peak resident set from the kernel.
 */
final class MemoryWatch implements AutoCloseable {
  private static final long SAMPLE_MS = 10;

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-memory-watch");
    t.setDaemon(true);
    return t;
  });
  private volatile long peakHeapUsed;
  private volatile long peakHeapCommitted;

  MemoryWatch start() {
    timer.scheduleAtFixedRate(this::sample, 0, SAMPLE_MS, TimeUnit.MILLISECONDS);
    return this;
  }

  private void sample() {
    var heap = memory.getHeapMemoryUsage();
    // only this thread writes
    peakHeapUsed = Math.max(peakHeapUsed, heap.getUsed());
    peakHeapCommitted = Math.max(peakHeapCommitted, heap.getCommitted());
  }

  long peakHeapUsed() {
    return peakHeapUsed;
  }

  long peakHeapCommitted() {
    return peakHeapCommitted;
  }

  /** VmHWM of /proc/self/status in bytes; -1 where there is no procfs. */
  static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
