package io.jobsched.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Instant ↔ timestamptz parameters. */
final class Times {
  private Times() {
  }

  static OffsetDateTime odt(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(OffsetDateTime o) {
    return o == null ? null : o.toInstant();
  }
}
