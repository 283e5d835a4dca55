package io.jobsched.logs;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which daily log indices ({@code <prefix>-YYYY.MM.DD}, UTC) have aged out: those whose every line is older
 * than {@code logs.hot_days}, i.e. whose day ended at least that long ago. Names that are not a day of this
 * prefix (another prefix that starts the same, anything else) are never chosen. Pure: the caller passes now.
 */
public final class LogRetention {
  private final String prefix;
  private final Duration hot;

  public LogRetention(String prefix, int hotDays) {
    this.prefix = prefix;
    this.hot = Duration.ofDays(hotDays);
  }

  public List<String> expired(Collection<String> indices, Instant now) {
    List<String> out = new ArrayList<>();
    for (String index : indices) {
      DailyIndices.day(prefix, index).ifPresent(day -> {
        Instant dayEnds = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        if (!dayEnds.plus(hot).isAfter(now)) {
          out.add(index);
        }
      });
    }
    return out;
  }
}
