package io.jobsched.job;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A cron table in an IANA time zone: 5 fields (minute hour day-of-month month day-of-week, minute
 * precision) or 6 with leading seconds. Day-of-week 0 and 7 are both Sunday.
 */
public record CronSchedule(String expression, ZoneId zone) implements Schedule {
  private static final String[] FIELDS_5 = {"minute", "hour", "day-of-month", "month", "day-of-week"};
  private static final String[] FIELDS_6 = {"second", "minute", "hour", "day-of-month", "month", "day-of-week"};
  private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser WITH_SECONDS = new CronParser(withSeconds());

  public CronSchedule {
    parse(expression); // fails with a field-naming message on bad input
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
    ExecutionTime execution = ExecutionTime.forCron(parse(expression));
    return execution.nextExecution(ZonedDateTime.ofInstant(previousFire, zone)).map(ZonedDateTime::toInstant);
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
