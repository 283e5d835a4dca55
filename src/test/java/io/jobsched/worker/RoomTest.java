package io.jobsched.worker;

import io.jobsched.job.Needs;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RoomTest {
  private final Room room = new Room(new Needs(4000, 8192, 1));

  @Test
  void a_claim_in_flight_holds_everything_free_until_it_answers() {
    Needs reserved = room.reserveFree();
    assertThat(reserved).isEqualTo(new Needs(4000, 8192, 1));
    assertThat(room.free()).isEqualTo(Needs.NONE);
    UUID run = UUID.randomUUID();
    room.settle(reserved, Map.of(run, new Needs(2500, 1024, 0)));
    assertThat(room.used()).isEqualTo(new Needs(2500, 1024, 0));
    assertThat(room.free()).isEqualTo(new Needs(1500, 7168, 1));
  }

  @Test
  void a_release_frees_what_the_run_held_once() {
    UUID run = UUID.randomUUID();
    room.hold(run, new Needs(1000, 0, 1));
    room.release(run);
    room.release(run);
    room.release(UUID.randomUUID());
    assertThat(room.used()).isEqualTo(Needs.NONE);
    assertThat(room.free()).isEqualTo(room.totals());
    assertThat(room.anyHeld()).isFalse();
  }
}
