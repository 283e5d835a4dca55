package io.jobsched.queue;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ScoresTest {
  private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void among_runs_due_at_once_higher_priority_scores_lower() {
    assertThat(Scores.of(T, 900)).isLessThan(Scores.of(T, 100));
  }

  @Test
  void an_earlier_fire_always_wins_over_priority() {
    assertThat(Scores.of(T, 0)).isLessThan(Scores.of(T.plusMillis(1), 1000));
  }

  @Test
  void scores_stay_exact_in_a_double_and_decode_back() {
    long s = Scores.of(T, 500);
    assertThat((long) (double) s).isEqualTo(s);
    assertThat(Scores.dueAt(s)).isEqualTo(T);
  }

  @Test
  void placement_is_stable_and_in_range() {
    for (int i = 0; i < 1000; i++) {
      int b = Partitions.bucket("job-" + i, 8);
      assertThat(b).isBetween(0, 7).isEqualTo(Partitions.bucket("job-" + i, 8));
    }
  }
}
