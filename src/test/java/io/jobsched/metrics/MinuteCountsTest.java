package io.jobsched.metrics;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class MinuteCountsTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-02T10:00:30Z"));
  private final MinuteCounts counts = new MinuteCounts(() -> now.get());

  private static final long MINUTE = Instant.parse("2026-12-02T10:00:00Z").getEpochSecond() / 60;

  @Test
  void counts_land_in_the_minute_they_happened_and_a_drain_takes_them_once() {
    counts.started(5);
    counts.started(700);
    counts.finished("SUCCESS");
    now.set(Instant.parse("2026-12-02T10:01:10Z"));
    counts.finished("FAILED");

    Map<Long, Map<String, Long>> drained = counts.drain();
    assertThat(drained.get(MINUTE)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "started", 2L, "late:0", 1L, "late:5", 1L, "finished:SUCCESS", 1L));
    assertThat(drained.get(MINUTE + 1)).containsExactlyInAnyOrderEntriesOf(Map.of("finished:FAILED", 1L));
    assertThat(counts.drain()).isEmpty();
  }

  @Test
  void what_a_failed_write_took_comes_back_with_the_next_drain() {
    counts.finished("SUCCESS");
    Map<Long, Map<String, Long>> taken = counts.drain();
    counts.finished("SUCCESS");
    counts.restore(taken);
    assertThat(counts.drain().get(MINUTE)).containsEntry("finished:SUCCESS", 2L);
  }

  @Test
  void percentiles_are_bucket_upper_bounds() {
    long[] counts = new long[LatenessBuckets.COUNT];
    counts[0] = 98;   // <= 10 ms
    counts[4] = 1;    // <= 500 ms
    counts[7] = 1;    // over 5 s
    assertThat(LatenessBuckets.percentile(counts, 0.5)).isEqualTo(10);
    assertThat(LatenessBuckets.percentile(counts, 0.99)).isEqualTo(500);
    assertThat(LatenessBuckets.percentile(counts, 1.0)).isEqualTo(5000);
    assertThat(LatenessBuckets.percentile(new long[LatenessBuckets.COUNT], 0.5)).isNull();
    assertThat(LatenessBuckets.indexOf(10)).isZero();
    assertThat(LatenessBuckets.indexOf(11)).isEqualTo(1);
    assertThat(LatenessBuckets.indexOf(5001)).isEqualTo(7);
  }
}
