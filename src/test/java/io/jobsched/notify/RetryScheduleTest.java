package io.jobsched.notify;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryScheduleTest {
  private final RetrySchedule schedule = new RetrySchedule(5, 1000, 5000);

  @Test
  void the_delay_doubles_per_failed_attempt_up_to_the_bound() {
    // random just under 1: no jitter taken off
    assertThat(schedule.delayAfter(1, 0.999999)).isBetween(999L, 1000L);
    assertThat(schedule.delayAfter(2, 0.999999)).isBetween(1999L, 2000L);
    assertThat(schedule.delayAfter(3, 0.999999)).isBetween(3999L, 4000L);
    assertThat(schedule.delayAfter(4, 0.999999)).as("capped at max").isBetween(4999L, 5000L);
  }

  @Test
  void jitter_takes_off_at_most_half() {
    assertThat(schedule.delayAfter(2, 0.0)).isEqualTo(1000L);
    assertThat(schedule.delayAfter(2, 0.5)).isEqualTo(1500L);
  }

  @Test
  void no_attempt_after_the_last() {
    assertThat(schedule.delayAfter(5, 0.5)).isNull();
    assertThat(new RetrySchedule(1, 1000, 5000).delayAfter(1, 0.5)).as("one attempt only").isNull();
  }

  @Test
  void a_large_attempt_count_does_not_overflow() {
    assertThat(new RetrySchedule(100, 1000, 600_000).delayAfter(80, 0.999)).isBetween(300_000L, 600_000L);
  }
}
