package io.jobsched.run;

import io.jobsched.job.Needs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PlacementTest {
  private static Placement.Offer worker(String id, int cores, int memoryMb, int gpu, String... classes) {
    return new Placement.Offer(id, Set.of(classes), Set.of("shell", "noop"), new Needs(cores * 1000, memoryMb, gpu));
  }

  private static final List<Placement.Offer> LIVE = List.of(worker("a", 2, 4096, 0, "default"),
      worker("b", 4, 2048, 1, "default", "big"));

  @Test
  void a_run_some_worker_could_hold_waits_for_nothing() {
    assertThat(Placement.waitingFor("default", "shell", new Needs(4000, 1024, 1), LIVE)).isNull();
    assertThat(Placement.waitingFor("default", "shell", Needs.NONE, LIVE)).isNull();
  }

  @Test
  void a_run_larger_than_every_worker_names_the_need_and_the_largest_total() {
    assertThat(Placement.waitingFor("default", "shell", new Needs(8000, 0, 0), LIVE))
        .isEqualTo("no live worker has cpu 8 in total (largest: 4)");
    assertThat(Placement.waitingFor("default", "shell", new Needs(0, 8192, 0), LIVE))
        .isEqualTo("no live worker has memory_mb 8192 in total (largest: 4096)");
    assertThat(Placement.waitingFor("big", "shell", new Needs(500, 0, 2), LIVE))
        .isEqualTo("no live worker has gpu 2 in total (largest: 1)");
  }

  @Test
  void needs_that_fit_different_workers_but_no_single_one_say_so() {
    assertThat(Placement.waitingFor("default", "shell", new Needs(4000, 4096, 0), LIVE))
        .isEqualTo("no live worker has cpu 4, memory_mb 4096 and gpu 0 in total at once");
  }

  @Test
  void a_class_or_kind_no_live_worker_serves_is_the_reason_even_unsized() {
    assertThat(Placement.waitingFor("gpu", "shell", Needs.NONE, LIVE))
        .isEqualTo("no live worker serves resource class gpu and task kind shell");
    assertThat(Placement.waitingFor("default", "http", Needs.NONE, LIVE))
        .isEqualTo("no live worker serves resource class default and task kind http");
    assertThat(Placement.waitingFor("default", "shell", Needs.NONE, List.of()))
        .startsWith("no live worker serves");
  }
}
