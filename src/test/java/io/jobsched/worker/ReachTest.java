package io.jobsched.worker;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReachTest {
  @Test
  void isThePreclaimWindowUntilASchedulerAnnouncesMore() {
    Reach reach = new Reach(5000);
    assertThat(reach.ms(0)).isEqualTo(5000);
    reach.announced(2000, 0);
    assertThat(reach.ms(1)).isEqualTo(5000);
    reach.announced(42_000, 100);
    assertThat(reach.ms(200)).isEqualTo(42_000);
  }

  @Test
  void fallsBackWhenAnnouncementsStop() {
    Reach reach = new Reach(5000);
    reach.announced(60_000, 1_000);
    assertThat(reach.ms(1_000 + Reach.ANNOUNCEMENT_VALID_NANOS - 1)).isEqualTo(60_000);
    assertThat(reach.ms(1_000 + Reach.ANNOUNCEMENT_VALID_NANOS)).isEqualTo(5000);
  }
}
