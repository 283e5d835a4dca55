package io.jobsched.job;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FirePlannerTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final CronSchedule EVERY_MINUTE = new CronSchedule("* * * * *", ZoneOffset.UTC);
  private final FirePlanner planner = new FirePlanner(Duration.ofSeconds(5), 1000);

  private static MisfirePolicy policy(MisfirePolicy.Kind kind, Duration window) {
    return new MisfirePolicy(kind, window);
  }

  @Test
  void an_on_time_fire_runs_and_the_next_one_is_planned() {
    FirePlan plan = planner.plan(EVERY_MINUTE, policy(MisfirePolicy.Kind.FIRE_ONCE, Duration.ofHours(1)), T0,
        T0.plusMillis(200), Duration.ofSeconds(2));
    assertThat(plan.fires()).containsExactly(new PlannedFire(T0, PlannedFire.Outcome.RUN, null));
    assertThat(plan.nextFireAt()).contains(T0.plusSeconds(60));
  }

  @Test
  void a_fire_inside_the_look_ahead_is_materialised_early() {
    FirePlan plan = planner.plan(EVERY_MINUTE, policy(MisfirePolicy.Kind.FIRE_ONCE, Duration.ofHours(1)), T0,
        T0.minusSeconds(1), Duration.ofSeconds(2));
    assertThat(plan.fires()).extracting(PlannedFire::scheduledFor).containsExactly(T0);
  }

  @Test
  void fire_once_after_ten_minutes_down_runs_the_latest_missed_fire_and_skips_the_other_nine() {
    Instant now = T0.plus(Duration.ofMinutes(10)).plusSeconds(30);
    FirePlan plan = planner.plan(EVERY_MINUTE, policy(MisfirePolicy.Kind.FIRE_ONCE, Duration.ofHours(1)), T0, now,
        Duration.ofSeconds(2));
    // fires 10:00 .. 10:10 are all more than 5 s in the past: 11 missed; only 10:10 runs
    assertThat(plan.fires()).hasSize(11);
    assertThat(plan.fires().stream().filter(f -> f.outcome() == PlannedFire.Outcome.RUN))
        .extracting(PlannedFire::scheduledFor).containsExactly(T0.plus(Duration.ofMinutes(10)));
    assertThat(plan.fires().stream().filter(f -> f.outcome() == PlannedFire.Outcome.SKIP)).hasSize(10)
        .allMatch(f -> "misfire".equals(f.reason()));
  }

  @Test
  void fire_all_runs_missed_fires_inside_the_window_only() {
    Instant now = T0.plus(Duration.ofMinutes(10)).plusSeconds(30);
    FirePlan plan = planner.plan(EVERY_MINUTE, policy(MisfirePolicy.Kind.FIRE_ALL, Duration.ofMinutes(3)), T0, now,
        Duration.ofSeconds(2));
    assertThat(plan.fires().stream().filter(f -> f.outcome() == PlannedFire.Outcome.RUN))
        .extracting(PlannedFire::scheduledFor)
        .containsExactly(T0.plus(Duration.ofMinutes(8)), T0.plus(Duration.ofMinutes(9)), T0.plus(Duration.ofMinutes(10)));
  }

  @Test
  void skip_runs_nothing_that_was_missed() {
    Instant now = T0.plus(Duration.ofMinutes(10)).plusSeconds(30);
    FirePlan plan = planner.plan(EVERY_MINUTE, policy(MisfirePolicy.Kind.SKIP, Duration.ofHours(1)), T0, now,
        Duration.ofSeconds(2));
    assertThat(plan.fires()).hasSize(11).allMatch(f -> f.outcome() == PlannedFire.Outcome.SKIP);
    assertThat(plan.nextFireAt()).contains(T0.plus(Duration.ofMinutes(11)));
  }

  @Test
  void a_long_backlog_is_chunked_without_gaps_or_duplicates_and_fire_once_runs_exactly_one() {
    CronSchedule everySecond = new CronSchedule("* * * * * *", ZoneOffset.UTC);
    Instant now = T0.plus(Duration.ofHours(1));
    List<PlannedFire> all = new ArrayList<>();
    Optional<Instant> next = Optional.of(T0);
    for (int i = 0; i < 10 && next.isPresent() && !next.get().isAfter(now.plusSeconds(2)); i++) {
      FirePlan plan = planner.plan(everySecond, policy(MisfirePolicy.Kind.FIRE_ONCE, Duration.ofHours(1)), next.get(),
          now, Duration.ofSeconds(2));
      all.addAll(plan.fires());
      next = plan.nextFireAt();
    }
    Set<Instant> distinct = new HashSet<>();
    all.forEach(f -> distinct.add(f.scheduledFor()));
    assertThat(distinct).hasSize(all.size());
    assertThat(all).hasSize(3600 + 3); // 10:00:00 .. 11:00:02 inclusive
    assertThat(all.stream().filter(f -> f.outcome() == PlannedFire.Outcome.RUN
        && Duration.between(f.scheduledFor(), now).getSeconds() > 5)).hasSize(1);
  }

  @Test
  void a_one_shot_schedule_is_exhausted_after_its_fire() {
    FirePlan plan = planner.plan(new AtSchedule(T0), policy(MisfirePolicy.Kind.FIRE_ONCE, Duration.ofHours(1)), T0,
        T0, Duration.ofSeconds(2));
    assertThat(plan.fires()).hasSize(1);
    assertThat(plan.nextFireAt()).isEmpty();
  }
}
