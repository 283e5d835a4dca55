package io.jobsched.job;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cron table in an IANA time zone: 5 fields (minute hour day-of-month month day-of-week, minute
 * precision) or 6 with leading seconds. Day-of-week 0 and 7 are both Sunday.
 *
 * <p>Daylight-saving time: the expression is matched against the zone's wall clock, and each matching
 * wall-clock time fires once:
 * <ul>
 *   <li>spring gap: a time that does not exist that day (Berlin 02:30 on the last Sunday of March) fires
 *       at the first valid instant after the gap (03:00 CEST); several times inside one gap collapse into
 *       that one fire;</li>
 *   <li>autumn overlap: a time that happens twice (Berlin 02:30 on the last Sunday of October) fires once,
 *       at its first occurrence. A cron that fires inside the repeated hour (every 15 minutes, say) therefore
 *       does not fire during the hour's second pass.</li>
 * </ul>
 */
public record CronSchedule(String expression, ZoneId zone) implements Schedule {
  private static final String[] FIELDS_5 = {"minute", "hour", "day-of-month", "month", "day-of-week"};
  private static final String[] FIELDS_6 = {"second", "minute", "hour", "day-of-month", "month", "day-of-week"};
  private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser WITH_SECONDS = new CronParser(withSeconds());
  /**
   * Parsed expressions are immutable and few distinct ones are in use: parse each once. A definition is
   * read again whenever a node does not have it cached (a million cron jobs: 16,700 reads a second), and
   * parsing with cron-utils each time was the most expensive part of reading it.
   */
  private static final Map<String, ExecutionTime> EXECUTIONS = new ConcurrentHashMap<>();
  private static final int MAX_CACHED = 100_000;
  /**
   * Next fires already found, by (expression, zone, previous fire). Jobs share expressions and fire at the
   * same instants, so one job's next fire is the next fire of all its twins: a million cron jobs over 60
   * expressions cost cron-utils (which builds lists of candidate values at every step) more than half the
   * node's CPU until this. Cleared when full: a miss only costs the computation again.
   */
  private static final Map<Step, Optional<Instant>> NEXT_FIRES = new ConcurrentHashMap<>();
  private static final int MAX_NEXT_FIRES = 200_000;
  /** Bounds the skip over an overlap's second pass (a per-second cron skips 3600 wall times). */
  private static final int MAX_STEPS = 10_000;

  private record Step(String expression, ZoneId zone, Instant after) {}

  public CronSchedule {
    check(expression);
  }

  /** @throws IllegalArgumentException naming the first bad field */
  public static void check(String expression) {
    execution(expression);
  }

  private static ExecutionTime execution(String expression) {
    ExecutionTime cached = EXECUTIONS.get(expression);
    if (cached != null) {
      return cached;
    }
    ExecutionTime parsed = ExecutionTime.forCron(parse(expression));
    if (EXECUTIONS.size() < MAX_CACHED) {
      EXECUTIONS.putIfAbsent(expression, parsed);
    }
    return parsed;
  }

  /** @throws IllegalArgumentException naming the first bad field */
  public static Cron parse(String expression) {
    String[] parts = expression.trim().split("\\s+");
    if (parts.length != 5 && parts.length != 6) {
      throw new IllegalArgumentException("expected 5 fields (minute hour day-of-month month day-of-week) or 6 "
          + "(with leading seconds), got " + parts.length);
    }
    CronParser parser = parts.length == 5 ? UNIX : WITH_SECONDS;
    try {
      return parser.parse(String.join(" ", parts));
    } catch (IllegalArgumentException whole) {
      String[] names = parts.length == 5 ? FIELDS_5 : FIELDS_6;
      for (int i = 0; i < parts.length; i++) {
        String[] probe = new String[parts.length];
        java.util.Arrays.fill(probe, "*");
        probe[i] = parts[i];
        try {
          parser.parse(String.join(" ", probe));
        } catch (IllegalArgumentException field) {
          throw new IllegalArgumentException(names[i] + " field '" + parts[i] + "': " + field.getMessage(), field);
        }
      }
      throw new IllegalArgumentException(whole.getMessage(), whole);
    }
  }

  @Override
  public Optional<Instant> firstFire(Instant now) {
    return nextFireAfter(now.minusNanos(1));
  }

  @Override
  public Optional<Instant> nextFireAfter(Instant previousFire) {
    Step step = new Step(expression, zone, previousFire);
    Optional<Instant> known = NEXT_FIRES.get(step);
    if (known != null) {
      return known;
    }
    Optional<Instant> next = search(previousFire);
    if (NEXT_FIRES.size() >= MAX_NEXT_FIRES) {
      NEXT_FIRES.clear();
    }
    NEXT_FIRES.put(step, next);
    return next;
  }

  private Optional<Instant> search(Instant previousFire) {
    ExecutionTime execution = execution(expression);
    // match on the wall clock (as if it were UTC, which has no transitions), then map to an instant
    // cron-utils carries sub-second parts through; crons fire on whole seconds, so match from the second
    LocalDateTime wall = LocalDateTime.ofInstant(previousFire, zone).truncatedTo(ChronoUnit.SECONDS);
    for (int i = 0; i < MAX_STEPS; i++) {
      Optional<ZonedDateTime> next = execution.nextExecution(wall.atZone(ZoneOffset.UTC));
      if (next.isEmpty()) {
        return Optional.empty();
      }
      wall = next.get().toLocalDateTime();
      Instant candidate = firstInstantOf(wall, zone);
      // a wall time whose first occurrence is not after the previous fire (the overlap's second pass) is skipped
      if (candidate.isAfter(previousFire)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The first instant showing {@code wall}; in a gap, the instant the gap ends. */
  static Instant firstInstantOf(LocalDateTime wall, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    List<ZoneOffset> offsets = rules.getValidOffsets(wall);
    if (offsets.isEmpty()) {
      return rules.getTransition(wall).getInstant();
    }
    Instant first = null;
    for (ZoneOffset offset : offsets) {
      Instant i = wall.toInstant(offset);
      first = first == null || i.isBefore(first) ? i : first;
    }
    return first;
  }

  @Override
  public String type() {
    return "cron";
  }

  private static CronDefinition withSeconds() {
    return CronDefinitionBuilder.defineCron()
        .withSeconds().and()
        .withMinutes().and()
        .withHours().and()
        .withDayOfMonth().supportsL().supportsW().supportsQuestionMark().and()
        .withMonth().and()
        .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0)
        .supportsHash().supportsL().supportsQuestionMark().and()
        .instance();
  }
}
