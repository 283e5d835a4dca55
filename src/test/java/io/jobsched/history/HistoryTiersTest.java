package io.jobsched.history;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryTiersTest {
  private static final Instant NOW = Instant.parse("2026-12-01T20:00:00Z");

  @Test
  void the_current_month_and_the_ones_before_it_stay_hot() {
    HistoryTiers tiers = new HistoryTiers(13);
    assertThat(tiers.firstHot(NOW)).isEqualTo(YearMonth.of(2025, 12));
    assertThat(tiers.expired(List.of(YearMonth.of(2026, 12), YearMonth.of(2025, 12), YearMonth.of(2025, 11),
        YearMonth.of(2024, 3), YearMonth.of(2027, 1)), NOW))
        .containsExactly(YearMonth.of(2024, 3), YearMonth.of(2025, 11));
  }

  @Test
  void months_are_utc() {
    // 00:30 UTC on the 1st is still November in New York, but the partition is December's
    assertThat(new HistoryTiers(2).firstHot(Instant.parse("2026-12-01T00:30:00Z"))).isEqualTo(YearMonth.of(2026, 11));
    assertThat(HistoryTiers.monthOf(Instant.parse("2026-11-30T23:59:59.999Z"))).isEqualTo(YearMonth.of(2026, 11));
    assertThat(HistoryTiers.start(YearMonth.of(2026, 2))).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
    assertThat(HistoryTiers.end(YearMonth.of(2026, 12))).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
  }

  @Test
  void only_month_partitions_name_a_month() {
    assertThat(HistoryTiers.monthOf("runs_2024_03")).contains(YearMonth.of(2024, 3));
    assertThat(HistoryTiers.partitionOf(YearMonth.of(2024, 3))).isEqualTo("runs_2024_03");
    assertThat(HistoryTiers.monthOf("runs_default")).isEqualTo(Optional.empty());
    assertThat(HistoryTiers.monthOf("runs_2024_13")).isEmpty();
    assertThat(HistoryTiers.monthOf("xruns_2024_03")).isEmpty();
  }

  @Test
  void last_month_is_never_cold() {
    // the scheduler keeps last month's partition created
    assertThatThrownBy(() -> new HistoryTiers(1)).hasMessageContaining("at least 2");
  }

  @Test
  void the_checksum_ignores_row_order_and_sees_any_change() {
    RowChecksum a = new RowChecksum(), b = new RowChecksum(), changed = new RowChecksum();
    a.add("r1");
    a.add("r2");
    b.add("r2");
    b.add("r1");
    changed.add("r1");
    changed.add("r2 ");
    assertThat(a.value()).isEqualTo(b.value()).startsWith("2:");
    assertThat(changed.value()).isNotEqualTo(a.value());
  }
}
