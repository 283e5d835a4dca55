package io.jobsched.api.json;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstantsTest {
  @Test
  void formats_exactly_as_instant_to_string() {
    SplittableRandom random = new SplittableRandom(42);
    long min = Instant.parse("-0100-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 200_000; i++) {
      int nano = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant t = Instant.ofEpochSecond(random.nextLong(min, max), nano);
      assertThat(Instants.format(t)).isEqualTo(t.toString());
    }
    for (String edge : List.of("0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.000001Z", "2024-02-29T12:00:00.100Z")) {
      assertThat(Instants.format(Instant.parse(edge))).isEqualTo(Instant.parse(edge).toString());
    }
    assertThat(Instants.format(null)).isNull();
  }

  @Test
  void parses_what_offset_date_time_parses_and_refuses_what_it_refuses() {
    for (String ok : List.of("2026-11-22T10:00:00Z", "2026-11-22T10:00:00.5Z", "2026-11-22T10:00:00.123456789Z",
        "2026-11-22T10:00Z", "2026-11-22T10:00:00+05:30", "2024-02-29T23:59:59.000001Z", "0001-01-01T00:00:00Z",
        "2026-11-22T10:00:00z", "2026-11-22T10:00:00.Z")) { // the JDK takes these two too
      assertThat(Instants.parse(ok)).as(ok).isEqualTo(OffsetDateTime.parse(ok).toInstant());
    }
    for (String bad : List.of("2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-22T24:00:00Z",
        "2026-11-22T10:00:00.1234567890Z", "2026-11-22 10:00:00Z", "2026-11-22T10:00:00",
        "2026-11-22T1a:00:00Z")) {
      assertThatThrownBy(() -> Instants.parse(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
    }
  }
}
