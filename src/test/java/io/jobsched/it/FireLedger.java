package io.jobsched.it;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-second fires of many jobs, as their tasks recorded them (shell tasks in {@link Executions}' log, read
 * on from where the last read stopped; http tasks through {@link HttpExecutions}): which fires have an execution that ran to its end with exit 0, and which have more
 * than one. A fire is (job, second); jobs fire every second from their first recorded fire on.
 */
final class FireLedger {
  /** One execution that ran to its end successfully: the run (attempt) it belonged to. */
  record Completed(String runId, int attempt) {}

  private final Path log;
  /** Second 0 of every job's bit set: fires complete out of order, so no job's first fire can be the base. */
  private final long base;
  private long offset;
  private final StringBuilder partial = new StringBuilder();
  /** Seconds since the epoch of each job's earliest completed fire. */
  private final Map<String, Long> firstSecond = new HashMap<>();
  /** Per job, bit {@code s - base} set when fire {@code s} completed at least once. */
  private final Map<String, BitSet> completed = new HashMap<>();
  /** Fires completed more than once: "job second" to every completion. */
  private final Map<String, List<Completed>> repeats = new TreeMap<>();
  /** Completions not yet known to be repeated, per fire, only for the first completion (kept to report repeats). */
  private final Map<String, Completed> firstCompletion = new HashMap<>();
  /** When this ledger learnt of each fire's first completion, by fire ("job second"): finds the slowest. */
  private final Map<String, Instant> learntAt = new HashMap<>();
  /** Started, not ended yet, by run id and pid: the scheduled second and job are in the start line. */
  private final Map<String, String[]> open = new LinkedHashMap<>();

  /** {@code since}: no fire of these jobs is earlier. */
  FireLedger(Path log, Instant since) {
    this.log = log;
    this.base = since.getEpochSecond();
  }

  /** Reads what the tasks appended since the last call. */
  synchronized FireLedger refresh() {
    if (!Files.exists(log)) {
      return this;
    }
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long length = f.length();
      if (length <= offset) {
        return this;
      }
      byte[] bytes = new byte[(int) (length - offset)];
      f.seek(offset);
      f.readFully(bytes);
      offset = length;
      partial.append(new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int end = partial.lastIndexOf("\n");
    if (end < 0) {
      return this;
    }
    String complete = partial.substring(0, end);
    partial.delete(0, end + 1);
    complete.lines().forEach(this::record);
    return this;
  }

  // "start job run attempt scheduled_for pid" and "end job run attempt scheduled_for pid rc"
  private void record(String line) {
    String[] f = line.split(" ");
    String key = f[2] + "/" + f[5];
    if (f[0].equals("start")) {
      open.put(key, f);
      return;
    }
    open.remove(key);
    if (f[6].equals("0")) {
      completed(f[1], f[2], Integer.parseInt(f[3]), Instant.parse(f[4]));
    }
  }

  /** Records one execution of fire ({@code job}, {@code scheduledFor}) that ran to its end successfully. */
  synchronized void completed(String job, String runId, int attempt, Instant scheduledFor) {
    long second = scheduledFor.getEpochSecond();
    if (second < base) {
      throw new IllegalStateException(job + " fired at " + scheduledFor + ", before the jobs existed");
    }
    firstSecond.merge(job, second, Math::min);
    BitSet bits = completed.computeIfAbsent(job, j -> new BitSet());
    int index = (int) (second - base);
    Completed c = new Completed(runId, attempt);
    String fire = job + " " + Instant.ofEpochSecond(second);
    if (bits.get(index)) {
      repeats.computeIfAbsent(fire, k -> new ArrayList<>(List.of(firstCompletion.get(fire)))).add(c);
    } else {
      bits.set(index);
      firstCompletion.put(fire, c);
      learntAt.put(fire, Instant.now());
    }
  }

  synchronized int jobs() {
    return completed.size();
  }

  /** Every job's fires from its first up to and including second {@code upTo} have completed. */
  synchronized boolean caughtUpTo(Instant upTo, int expectedJobs) {
    if (completed.size() < expectedJobs) {
      return false;
    }
    for (Map.Entry<String, BitSet> e : completed.entrySet()) {
      if (through(e.getKey(), e.getValue()) < upTo.getEpochSecond()) {
        return false;
      }
    }
    return true;
  }

  /** Fires in [from, to] (seconds) of every job that have no completed execution, as "job second". */
  synchronized List<String> missed(Instant from, Instant to) {
    List<String> missed = new ArrayList<>();
    completed.forEach((job, bits) -> {
      for (long s = Math.max(firstSecond.get(job), from.getEpochSecond()); s <= to.getEpochSecond(); s++) {
        if (!bits.get((int) (s - base))) {
          missed.add(job + " " + Instant.ofEpochSecond(s));
        }
      }
    });
    return missed;
  }

  /** Fires in [from, to] completed more than once, with every completion. */
  synchronized Map<String, List<Completed>> repeated(Instant from, Instant to) {
    Map<String, List<Completed>> in = new TreeMap<>();
    repeats.forEach((fire, completions) -> {
      if (within(fire, from, to)) {
        in.put(fire, completions);
      }
    });
    return in;
  }

  /** The {@code n} fires in [from, to] completed last, as "job second" to when their completion was seen. */
  synchronized Map<String, Instant> slowest(Instant from, Instant to, int n) {
    Map<String, Instant> slowest = new LinkedHashMap<>();
    learntAt.entrySet().stream()
        .filter(e -> within(e.getKey(), from, to))
        .sorted(Map.Entry.<String, Instant>comparingByValue().reversed())
        .limit(n)
        .forEach(e -> slowest.put(e.getKey(), e.getValue()));
    return slowest;
  }

  /** Whether fire ("job second") is of a second in [from, to]. */
  private static boolean within(String fire, Instant from, Instant to) {
    Instant second = Instant.parse(fire.substring(fire.indexOf(' ') + 1));
    return !second.isBefore(from) && !second.isAfter(to);
  }

  /** The number of fires in [from, to] of the jobs seen, counting each job from its first fire. */
  synchronized long fires(Instant from, Instant to) {
    long n = 0;
    for (long first : firstSecond.values()) {
      long start = Math.max(first, from.getEpochSecond());
      n += Math.max(0, to.getEpochSecond() - start + 1);
    }
    return n;
  }

  /** The last second every job has completed through (the minimum of their contiguous prefixes). */
  synchronized Instant contiguousThrough() {
    long min = Long.MAX_VALUE;
    for (Map.Entry<String, BitSet> e : completed.entrySet()) {
      min = Math.min(min, through(e.getKey(), e.getValue()));
    }
    return Instant.ofEpochSecond(min);
  }

  /** The last second through which the job's fires, from its first on, all completed. */
  private long through(String job, BitSet bits) {
    return base + bits.nextClearBit((int) (firstSecond.get(job) - base)) - 1;
  }

  /** The latest fire any job completed. */
  synchronized Instant latest() {
    long max = Long.MIN_VALUE;
    for (Map.Entry<String, BitSet> e : completed.entrySet()) {
      max = Math.max(max, base + e.getValue().length() - 1);
    }
    return Instant.ofEpochSecond(max);
  }

  /** Where the fires stand, for a failure message: jobs seen, the earliest gaps. */
  synchronized String describe() {
    StringBuilder b = new StringBuilder("jobs=" + completed.size());
    if (!completed.isEmpty()) {
      b.append(" contiguous_through=").append(contiguousThrough()).append(" latest=").append(latest());
      List<String> gaps = new ArrayList<>();
      completed.forEach((job, bits) -> {
        long through = through(job, bits);
        if (through < latest().getEpochSecond() - 2 && gaps.size() < 10) {
          gaps.add(job + " first=" + Instant.ofEpochSecond(firstSecond.get(job)) + " gap_at=" + Instant.ofEpochSecond(through + 1));
        }
      });
      b.append(" gaps=").append(gaps);
    }
    return b.toString();
  }
}
