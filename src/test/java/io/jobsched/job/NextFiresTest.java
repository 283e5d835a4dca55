package io.jobsched.job;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class NextFiresTest {
  private static Instant at(String s) {
    return Instant.parse(s);
  }

  @Test
  void a_cron_lists_its_fires_through_a_spring_gap() {
    CronSchedule berlin = new CronSchedule("30 2 * * *", ZoneId.of("Europe/Berlin"));
    // 2027-03-28 02:30 does not exist in Berlin: that day fires when the gap ends, 03:00 CEST
    assertThat(NextFires.of(berlin, at("2027-03-27T01:30:00Z"), false, 3))
        .containsExactly(at("2027-03-27T01:30:00Z"), at("2027-03-28T01:00:00Z"), at("2027-03-29T00:30:00Z"));
  }

  @Test
  void an_interval_steps_from_the_stored_next_fire() {
    EverySchedule every = new EverySchedule(Duration.ofMinutes(10), at("2026-12-01T00:00:00Z"));
    assertThat(NextFires.of(every, at("2026-12-01T10:00:00Z"), false, 2))
        .containsExactly(at("2026-12-01T10:00:00Z"), at("2026-12-01T10:10:00Z"));
  }

  @Test
  void a_one_shot_fires_once_and_paused_or_exhausted_jobs_not_at_all() {
    AtSchedule once = new AtSchedule(at("2027-01-01T00:00:00Z"));
    assertThat(NextFires.of(once, at("2027-01-01T00:00:00Z"), false, 5)).containsExactly(at("2027-01-01T00:00:00Z"));
    assertThat(NextFires.of(once, null, false, 5)).isEmpty();
    CronSchedule hourly = new CronSchedule("0 * * * *", ZoneId.of("UTC"));
    assertThat(NextFires.of(hourly, at("2027-01-01T00:00:00Z"), true, 5)).isEmpty();
  }
}
