package io.jobsched.metrics;

import io.vertx.core.Future;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The cluster at a glance for the dashboard: the last hour minute by minute, and what waits in the queues. */
public final class Overview {
  public static final int WINDOW_MINUTES = 60;

  public record Minute(Instant at, long started, Map<String, Long> finished, long[] latenessCounts) {
    public Long latenessPercentileMs(double quantile) {
      return LatenessBuckets.percentile(latenessCounts, quantile);
    }
  }

  public record Snapshot(List<Minute> minutes, List<QueueDepths.Depth> queues) {}

  private final MinuteStatsStore stats;
  private final QueueDepths depths;
  private final InstantSource clock;

  public Overview(MinuteStatsStore stats, QueueDepths depths, InstantSource clock) {
    this.stats = stats;
    this.depths = depths;
    this.clock = clock;
  }

  public Future<Snapshot> read() {
    Instant now = clock.instant();
    long first = now.toEpochMilli() / 60_000 - WINDOW_MINUTES + 1;
    Future<List<Minute>> minutes = stats.read(first, WINDOW_MINUTES).map(read -> {
      List<Minute> out = new ArrayList<>(read.size());
      for (int i = 0; i < read.size(); i++) {
        out.add(minute(Instant.ofEpochSecond((first + i) * 60), read.get(i)));
      }
      return out;
    });
    Future<List<QueueDepths.Depth>> queues = depths.read();
    return Future.all(minutes, queues).map(x -> new Snapshot(minutes.result(), queues.result()));
  }

  static Minute minute(Instant at, Map<String, Long> fields) {
    Map<String, Long> finished = new TreeMap<>();
    long[] late = new long[LatenessBuckets.COUNT];
    fields.forEach((field, n) -> {
      if (field.startsWith(MinuteCounts.FINISHED)) {
        finished.put(field.substring(MinuteCounts.FINISHED.length()), n);
      } else if (field.startsWith(MinuteCounts.LATE)) {
        int bucket = Integer.parseInt(field.substring(MinuteCounts.LATE.length()));
        if (bucket >= 0 && bucket < late.length) {
          late[bucket] += n;
        }
      }
    });
    return new Minute(at, fields.getOrDefault(MinuteCounts.STARTED, 0L), finished, late);
  }
}
