package io.jobsched.store;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Instant ↔ timestamptz parameters. */
final class Times {
  private Times() {
  }

  static OffsetDateTime odt(Instant i) {
    // not atOffset: it builds the offset's ZoneRules on every call (a spike writes a million of these)
    return i == null ? null
        : OffsetDateTime.of(LocalDateTime.ofEpochSecond(i.getEpochSecond(), i.getNano(), ZoneOffset.UTC), ZoneOffset.UTC);
  }

  static Instant instant(OffsetDateTime o) {
    return o == null ? null : o.toInstant();
  }
}
