package io.jobsched.history;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which months of run history are hot (Postgres) and which are due for the cold tier. Months are UTC. */
public final class HistoryTiers {
  private static final Pattern PARTITION = Pattern.compile("runs_(\\d{4})_(\\d{2})");

  private final int hotMonths;

  /** {@code hotMonths}: the current month and the {@code hotMonths - 1} before it stay in Postgres. */
  public HistoryTiers(int hotMonths) {
    if (hotMonths < 2) {
      // the scheduler keeps last month's partition created: it must never be a month to archive
      throw new IllegalArgumentException("hot_months must be at least 2, got " + hotMonths);
    }
    this.hotMonths = hotMonths;
  }

  /** The oldest month that stays hot at {@code now}. */
  public YearMonth firstHot(Instant now) {
    return YearMonth.from(now.atOffset(ZoneOffset.UTC)).minusMonths(hotMonths - 1L);
  }

  /** Of these months, the ones older than the hot window, oldest first. */
  public List<YearMonth> expired(Collection<YearMonth> months, Instant now) {
    YearMonth firstHot = firstHot(now);
    return months.stream().filter(m -> m.isBefore(firstHot)).sorted().toList();
  }

  /** The month a {@code runs_YYYY_MM} partition holds; empty for any other table name. */
  public static Optional<YearMonth> monthOf(String partition) {
    Matcher m = PARTITION.matcher(partition);
    if (!m.matches()) {
      return Optional.empty();
    }
    int month = Integer.parseInt(m.group(2));
    return month >= 1 && month <= 12 ? Optional.of(YearMonth.of(Integer.parseInt(m.group(1)), month)) : Optional.empty();
  }

  public static String partitionOf(YearMonth month) {
    return String.format("runs_%04d_%02d", month.getYear(), month.getMonthValue());
  }

  /** The month an instant falls in (UTC): the partition a run scheduled then lives in. */
  public static YearMonth monthOf(Instant at) {
    return YearMonth.from(at.atOffset(ZoneOffset.UTC));
  }

  /** [start, end) of a month, as the partition bounds. */
  public static Instant start(YearMonth month) {
    return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  public static Instant end(YearMonth month) {
    return start(month.plusMonths(1));
  }
}
