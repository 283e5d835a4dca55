package io.jobsched.job;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cron across daylight-saving transitions, in zones with different rules: gap fires move to the end of
 * the gap, repeated wall times fire once (first occurrence), zones without DST are unaffected.
 */
class CronDstTest {
  @ParameterizedTest(name = "{0} in {1}: after {2} -> {3}, then {4}")
  @CsvSource({
      // Berlin: 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET
      "'30 2 * * *',   Europe/Berlin,       2026-03-28T01:30:00Z, 2026-03-29T01:00:00Z, 2026-03-30T00:30:00Z",
      "'30 2 * * *',   Europe/Berlin,       2026-10-24T00:30:00Z, 2026-10-25T00:30:00Z, 2026-10-26T01:30:00Z",
      "'*/15 * * * *', Europe/Berlin,       2026-03-29T00:45:00Z, 2026-03-29T01:00:00Z, 2026-03-29T01:15:00Z",
      "'*/15 * * * *', Europe/Berlin,       2026-10-25T00:30:00Z, 2026-10-25T00:45:00Z, 2026-10-25T02:00:00Z",
      // New York: 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST
      "'30 2 * * *',   America/New_York,    2026-03-07T07:30:00Z, 2026-03-08T07:00:00Z, 2026-03-09T06:30:00Z",
      "'30 1 * * *',   America/New_York,    2026-10-31T05:30:00Z, 2026-11-01T05:30:00Z, 2026-11-02T06:30:00Z",
      // Sydney: 2026-04-05 03:00 AEDT -> 02:00 AEST; 2026-10-04 02:00 AEST -> 03:00 AEDT
      "'30 2 * * *',   Australia/Sydney,    2026-04-03T15:30:00Z, 2026-04-04T15:30:00Z, 2026-04-05T16:30:00Z",
      "'30 2 * * *',   Australia/Sydney,    2026-10-02T16:30:00Z, 2026-10-03T16:00:00Z, 2026-10-04T15:30:00Z",
      // Kolkata: no DST at all
      "'30 2 * * *',   Asia/Kolkata,        2026-03-28T21:00:00Z, 2026-03-29T21:00:00Z, 2026-03-30T21:00:00Z",
      // Chatham (+12:45 / +13:45): 2026-09-27 02:45 -> 03:45; 2026-04-05 03:45 -> 02:45
      "'0 3 * * *',    Pacific/Chatham,     2026-09-25T14:15:00Z, 2026-09-26T14:00:00Z, 2026-09-27T13:15:00Z",
      "'0 3 * * *',    Pacific/Chatham,     2026-04-03T13:15:00Z, 2026-04-04T13:15:00Z, 2026-04-05T14:15:00Z",
      // UTC: nothing moves
      "'30 2 * * *',   UTC,                 2026-03-28T02:30:00Z, 2026-03-29T02:30:00Z, 2026-03-30T02:30:00Z",
  })
  void fires_across_transitions(String expression, String zone, String after, String first, String second) {
    CronSchedule cron = new CronSchedule(expression, ZoneId.of(zone));
    Instant f1 = cron.nextFireAfter(Instant.parse(after)).orElseThrow();
    assertThat(f1).isEqualTo(Instant.parse(first));
    assertThat(cron.nextFireAfter(f1)).contains(Instant.parse(second));
  }

  @ParameterizedTest(name = "hourly in {0} fires once per distinct wall hour around {1}")
  @CsvSource({
      "Europe/Berlin,    2026-10-24T22:00:00Z",
      "America/New_York, 2026-10-31T22:00:00Z",
      "Australia/Sydney, 2026-04-04T10:00:00Z",
      "Pacific/Chatham,  2026-04-04T08:00:00Z",
  })
  void an_hourly_cron_never_fires_twice_for_one_wall_time_and_never_goes_backwards(String zone, String from) {
    CronSchedule hourly = new CronSchedule("0 * * * *", ZoneId.of(zone));
    Instant t = Instant.parse(from);
    java.util.Set<java.time.LocalDateTime> wallTimes = new java.util.HashSet<>();
    for (int i = 0; i < 30; i++) {
      Instant next = hourly.nextFireAfter(t).orElseThrow();
      assertThat(next).isAfter(t);
      assertThat(wallTimes.add(java.time.LocalDateTime.ofInstant(next, ZoneId.of(zone)))).isTrue();
      t = next;
    }
  }
}
