package io.jobsched.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleTest {
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:30Z");

  @ParameterizedTest(name = "{0} in {1} after {2} -> {3}")
  @CsvSource({
      "'*/15 * * * *',     UTC,              2026-11-22T10:00:30Z, 2026-11-22T10:15:00Z",
      "'30 2 * * *',       Europe/Berlin,    2026-11-22T10:00:00Z, 2026-11-23T01:30:00Z",
      "'0 9 * * 1',        America/New_York, 2026-11-22T10:00:00Z, 2026-11-23T14:00:00Z",
      "'0 9 * * 0',        UTC,              2026-11-22T10:00:00Z, 2026-11-29T09:00:00Z",
      "'0 9 * * 7',        UTC,              2026-11-22T10:00:00Z, 2026-11-29T09:00:00Z",
      "'0 0 29 2 *',       UTC,              2026-11-22T10:00:00Z, 2028-02-29T00:00:00Z",
      "'0 30 2 * * *',     Asia/Kolkata,     2026-11-22T10:00:00Z, 2026-11-22T21:00:00Z",
      "'*/10 * * * * *',   UTC,              2026-11-22T10:00:30Z, 2026-11-22T10:00:40Z",
  })
  void cron_next_fire(String expression, String zone, String after, String expected) {
    CronSchedule cron = new CronSchedule(expression, ZoneId.of(zone));
    assertThat(cron.nextFireAfter(Instant.parse(after))).contains(Instant.parse(expected));
  }

  @ParameterizedTest(name = "{0} names {1}")
  @CsvSource({
      "'61 * * * *',        minute",
      "'* 24 * * *',        hour",
      "'* * 32 * *',        day-of-month",
      "'* * * 13 *',        month",
      "'* * * * 9',         day-of-week",
      "'99 * * * * *',      second",
      "'* * * *',           5 fields",
      "'nonsense',          5 fields",
  })
  void invalid_cron_names_the_wrong_field(String expression, String named) {
    assertThatThrownBy(() -> CronSchedule.parse(expression)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(named);
  }

  @Test
  void cron_first_fire_is_the_first_match_at_or_after_creation() {
    CronSchedule everyMinute = new CronSchedule("* * * * *", ZoneOffset.UTC);
    Instant onTheMinute = Instant.parse("2026-11-22T10:01:00Z");
    assertThat(everyMinute.firstFire(onTheMinute)).contains(onTheMinute);
    assertThat(everyMinute.firstFire(NOW)).contains(onTheMinute);
  }

  @Test
  void cron_fires_on_whole_seconds_whatever_the_sub_second_part_of_its_start() {
    CronSchedule everySecond = new CronSchedule("* * * * * *", ZoneOffset.UTC);
    Instant midSecond = Instant.parse("2026-11-22T10:00:30.046932Z");
    assertThat(everySecond.firstFire(midSecond)).contains(Instant.parse("2026-11-22T10:00:31Z"));
    assertThat(everySecond.nextFireAfter(midSecond)).contains(Instant.parse("2026-11-22T10:00:31Z"));
    assertThat(new CronSchedule("* * * * *", ZoneId.of("Europe/Berlin")).firstFire(midSecond))
        .contains(Instant.parse("2026-11-22T10:01:00Z"));
  }

  @Test
  void every_without_start_fires_now_then_each_interval() {
    EverySchedule every = new EverySchedule(Duration.ofSeconds(30), null);
    assertThat(every.firstFire(NOW)).contains(NOW);
    assertThat(every.nextFireAfter(NOW)).contains(NOW.plusSeconds(30));
  }

  @Test
  void every_with_a_past_start_keeps_its_phase() {
    EverySchedule every = new EverySchedule(Duration.ofMinutes(10), Instant.parse("2026-11-22T09:05:00Z"));
    assertThat(every.firstFire(NOW)).contains(Instant.parse("2026-11-22T10:05:00Z"));
  }

  @Test
  void once_and_at_fire_a_single_time() {
    assertThat(new OnceSchedule().firstFire(NOW)).contains(NOW);
    assertThat(new OnceSchedule().nextFireAfter(NOW)).isEmpty();
    Instant at = Instant.parse("2026-12-01T00:00:00Z");
    assertThat(new AtSchedule(at).firstFire(NOW)).contains(at);
    assertThat(new AtSchedule(at).nextFireAfter(at)).isEmpty();
  }

  @Test
  void after_schedules_never_fire_by_time_and_match_outcomes() {
    AfterSchedule onSuccess = new AfterSchedule("extract", AfterSchedule.AfterOutcome.SUCCESS);
    assertThat(onSuccess.firstFire(NOW)).isEmpty();
    assertThat(onSuccess.matches(true)).isTrue();
    assertThat(onSuccess.matches(false)).isFalse();
    assertThat(new AfterSchedule("x", AfterSchedule.AfterOutcome.COMPLETION).matches(false)).isTrue();
  }

  @Test
  void retry_delays_grow_are_capped_and_jitter_stays_in_bounds() {
    RetryPolicy retry = new RetryPolicy(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(5), 0.2);
    assertThat(retry.delayBefore(2, 0.5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(retry.delayBefore(3, 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(retry.delayBefore(10, 0.5)).isEqualTo(Duration.ofSeconds(5));
    assertThat(retry.delayBefore(2, 0.0)).isEqualTo(Duration.ofMillis(800));
    assertThat(retry.delayBefore(2, 0.999999)).isBetween(Duration.ofMillis(1199), Duration.ofMillis(1200));
    assertThat(retry.hasAttemptAfter(4)).isTrue();
    assertThat(retry.hasAttemptAfter(5)).isFalse();
  }
}
