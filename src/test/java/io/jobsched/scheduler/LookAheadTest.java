package io.jobsched.scheduler;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LookAheadTest {
  private final LookAhead lookAhead = new LookAhead(Duration.ofSeconds(2), Duration.ofSeconds(60), 10_000);

  @Test
  void a_quiet_schedule_is_promoted_the_base_look_ahead_early() {
    assertThat(lookAhead.current()).isEqualTo(Duration.ofSeconds(2));
    assertThat(lookAhead.update(500)).isEqualTo(Duration.ofMillis(2050));
  }

  @Test
  void a_spike_coming_is_promoted_as_early_as_promoting_it_takes() {
    assertThat(lookAhead.update(50_000)).isEqualTo(Duration.ofSeconds(7));
    assertThat(lookAhead.update(200_000)).isEqualTo(Duration.ofSeconds(22));
    assertThat(lookAhead.update(10_000_000)).as("bounded").isEqualTo(Duration.ofSeconds(60));
    assertThat(lookAhead.update(0)).as("back once it passed").isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void counting_stops_where_the_look_ahead_is_at_its_maximum() {
    assertThat(lookAhead.update(lookAhead.countCap())).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void a_long_lead_is_counted_less_often() {
    assertThat(lookAhead.checkDelay()).isEqualTo(Duration.ofSeconds(1));
    lookAhead.update(200_000);
    assertThat(lookAhead.checkDelay()).as("counting 200,000 jobs each second costs more than it tells")
        .isEqualTo(Duration.ofSeconds(5));
    lookAhead.update(0);
    assertThat(lookAhead.checkDelay()).isEqualTo(Duration.ofSeconds(1));
  }
}
