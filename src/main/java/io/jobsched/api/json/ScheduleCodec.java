package io.jobsched.api.json;

import io.jobsched.job.AfterSchedule;
import io.jobsched.job.AtSchedule;
import io.jobsched.job.CronSchedule;
import io.jobsched.job.EverySchedule;
import io.jobsched.job.OnceSchedule;
import io.jobsched.job.Schedule;
import io.vertx.core.json.JsonObject;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;

/** The {@code schedule} object of a job. */
final class ScheduleCodec {
  static final String NEVER_FIRES = "can never fire (no date matches it, e.g. February 30)";

  private ScheduleCodec() {
  }

  static Schedule parse(JsonObject o, JsonFields f) {
    String type = f.string(o, "type", "schedule", null, 16);
    if (type == null) {
      if (o.getValue("type") == null) {
        f.error("schedule.type", "required: one of cron, at, every, once, after");
      }
      return null;
    }
    switch (type) {
      case "cron" -> {
        f.onlyKnown(o, "schedule", Set.of("type", "expression", "timezone"));
        String expr = f.string(o, "expression", "schedule", null, 256);
        ZoneId zone = zone(f.string(o, "timezone", "schedule", "UTC", 64), f);
        if (expr == null) {
          if (o.getValue("expression") == null) {
            f.error("schedule.expression", "required");
          }
          return null;
        }
        try {
          CronSchedule.check(expr);
        } catch (IllegalArgumentException e) {
          f.error("schedule.expression", e.getMessage());
          return null;
        }
        if (zone == null) {
          return null;
        }
        CronSchedule cron = new CronSchedule(expr, zone);
        // a cron that fires at all fires every year, so looking from any instant finds it
        if (cron.nextFireAfter(java.time.Instant.EPOCH).isEmpty()) {
          f.error("schedule.expression", NEVER_FIRES);
          return null;
        }
        return cron;
      }
      case "at" -> {
        f.onlyKnown(o, "schedule", Set.of("type", "at"));
        Instant at = f.instant(o, "at", "schedule", true);
        return at == null ? null : new AtSchedule(at);
      }
      case "every" -> {
        f.onlyKnown(o, "schedule", Set.of("type", "interval", "start_at"));
        if (o.getValue("interval") == null) {
          f.error("schedule.interval", "required");
          return null;
        }
        Duration interval = f.duration(o, "interval", "schedule", null, Duration.ofSeconds(1), Duration.ofDays(3650));
        Instant start = f.instant(o, "start_at", "schedule", false);
        return interval == null ? null : new EverySchedule(interval, start);
      }
      case "once" -> {
        f.onlyKnown(o, "schedule", Set.of("type"));
        return new OnceSchedule();
      }
      case "after" -> {
        f.onlyKnown(o, "schedule", Set.of("type", "job_id", "on"));
        String jobId = f.id(o, "job_id", "schedule", true);
        AfterSchedule.AfterOutcome on = f.enumValue(o, "on", "schedule", AfterSchedule.AfterOutcome.class,
            AfterSchedule.AfterOutcome.COMPLETION);
        return jobId == null || on == null ? null : new AfterSchedule(jobId, on);
      }
      default -> {
        f.error("schedule.type", "must be one of cron, at, every, once, after");
        return null;
      }
    }
  }

  private static ZoneId zone(String name, JsonFields f) {
    if (name == null) {
      return null;
    }
    try {
      ZoneId zone = ZoneId.of(name);
      if (zone instanceof ZoneOffset && !name.equals("UTC") && !name.equals("Z")) {
        f.error("schedule.timezone", "use an IANA zone name such as Europe/Berlin, not an offset");
        return null;
      }
      return zone;
    } catch (DateTimeException e) {
      f.error("schedule.timezone", "unknown time zone '" + name + "' (use an IANA name such as Europe/Berlin)");
      return null;
    }
  }

  static JsonObject toJson(Schedule s) {
    JsonObject o = new JsonObject().put("type", s.type());
    if (s instanceof CronSchedule c) {
      o.put("expression", c.expression()).put("timezone", c.zone().getId());
    } else if (s instanceof AtSchedule a) {
      o.put("at", Instants.format(a.at()));
    } else if (s instanceof EverySchedule e) {
      o.put("interval", e.interval().toString());
      if (e.startAt() != null) {
        o.put("start_at", Instants.format(e.startAt()));
      }
    } else if (s instanceof AfterSchedule a) {
      o.put("job_id", a.jobId()).put("on", a.on().name().toLowerCase());
    }
    return o;
  }
}
