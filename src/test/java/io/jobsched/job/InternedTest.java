package io.jobsched.job;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class InternedTest {
  @Test
  void equal_values_share_one_instance() {
    RetryPolicy a = new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), 0.1);
    RetryPolicy b = new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), 0.1);
    assertThat(Interned.of(a)).isSameAs(Interned.of(b)).isEqualTo(b);
    assertThat(Interned.of((Object) null)).isNull();
  }

  @Test
  void a_different_value_is_kept_apart() {
    MisfirePolicy one = Interned.of(new MisfirePolicy(MisfirePolicy.Kind.values()[0], Duration.ofSeconds(7)));
    MisfirePolicy other = Interned.of(new MisfirePolicy(MisfirePolicy.Kind.values()[0], Duration.ofSeconds(8)));
    assertThat(one).isNotSameAs(other).isNotEqualTo(other);
  }
}
