package io.jobsched.logs;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogRetentionTest {
  private final LogRetention retention = new LogRetention("jobsched-logs", 30);

  @Test
  void a_day_goes_once_its_last_line_is_older_than_the_hot_days() {
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    // 2026-10-31 ended 2026-11-01T00:00Z, 30 days and 10 h ago; 2026-11-01 ends 30 days before 2026-12-02
    assertThat(retention.expired(List.of("jobsched-logs-2026.10.31", "jobsched-logs-2026.11.01",
        "jobsched-logs-2026.12.01", "jobsched-logs-2019.01.01"), now))
        .containsExactlyInAnyOrder("jobsched-logs-2026.10.31", "jobsched-logs-2019.01.01");
    assertThat(retention.expired(List.of("jobsched-logs-2026.11.01"), Instant.parse("2026-12-02T00:00:00Z")))
        .containsExactly("jobsched-logs-2026.11.01");
  }

  @Test
  void names_that_are_not_a_day_of_this_prefix_are_never_chosen() {
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    assertThat(retention.expired(List.of("jobsched-logs-archive", "jobsched-logs-2019.13.01",
        "jobsched-logs-x-2019.01.01", "other-2019.01.01", "jobsched-logs2019.01.01", "jobsched-logs-2019.1.1"), now))
        .isEmpty();
  }
}
