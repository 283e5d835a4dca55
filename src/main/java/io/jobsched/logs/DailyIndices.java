package io.jobsched.logs;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** How log indices are named: one per UTC day, {@code <prefix>-YYYY.MM.DD}. Written and read here only. */
final class DailyIndices {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu.MM.dd");

  private DailyIndices() {
  }

  /** The index of the day {@code ts} falls on. */
  static String name(String prefix, Instant ts) {
    return prefix + "-" + DAY.format(ts.atOffset(ZoneOffset.UTC));
  }

  /** The day an index of {@code prefix} holds; empty for any other name (another prefix, not a day). */
  static Optional<LocalDate> day(String prefix, String index) {
    String start = prefix + "-";
    if (!index.startsWith(start) || index.length() != start.length() + 10) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(index.substring(start.length()), DAY));
    } catch (DateTimeParseException notADay) {
      return Optional.empty();
    }
  }
}
