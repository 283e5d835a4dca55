package io.jobsched.run;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RunIdsTest {
  private final RunIds ids = new RunIds();

  @Test
  void an_id_carries_the_millisecond_its_run_is_scheduled_for() {
    Instant at = Instant.parse("2026-11-30T23:59:59.999876Z");
    UUID id = ids.forFire(at);
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(RunIds.scheduledMillis(id)).isEqualTo(Instant.parse("2026-11-30T23:59:59.999Z"));
  }

  @Test
  void ids_of_one_instant_are_distinct_and_ids_sort_by_fire_time() {
    Instant at = Instant.parse("2026-12-01T00:00:00Z");
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      seen.add(ids.forFire(at));
    }
    assertThat(seen).hasSize(100_000);
    assertThat(ids.forFire(at).toString()).isLessThan(ids.forFire(at.plusMillis(1)).toString());
  }
}
