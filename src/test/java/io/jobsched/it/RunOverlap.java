package io.jobsched.it;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** How many runs executed at once, from their {@code started_at} and {@code finished_at} as the API gives them. */
final class RunOverlap {
  private RunOverlap() {
  }

  /** The most intervals open at one instant; an interval ending exactly when another starts does not overlap it. */
  static int max(List<JsonObject> runs) {
    List<long[]> edges = new ArrayList<>();
    for (JsonObject r : runs) {
      edges.add(new long[] {micros(r.getString("started_at")), 1});
      edges.add(new long[] {micros(r.getString("finished_at")), -1});
    }
    edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int open = 0;
    int max = 0;
    for (long[] e : edges) {
      open += (int) e[1];
      max = Math.max(max, open);
    }
    return max;
  }

  private static long micros(String instant) {
    Instant i = Instant.parse(instant);
    return i.getEpochSecond() * 1_000_000 + i.getNano() / 1_000;
  }
}
