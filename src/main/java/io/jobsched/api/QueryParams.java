package io.jobsched.api;

import io.jobsched.api.json.JsonFields;
import io.jobsched.service.ApiException;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Strict reads of query and path parameters: a bad value is a 400 naming the parameter. */
final class QueryParams {
  private QueryParams() {
  }

  static int intParam(RoutingContext rc, String name, int dflt, int min, int max) {
    String raw = rc.request().getParam(name);
    if (raw == null) {
      return dflt;
    }
    try {
      int v = Integer.parseInt(raw);
      if (v < min || v > max) {
        throw ApiException.badRequest(name, "must be between " + min + " and " + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name, "not an integer");
    }
  }

  static long longParam(RoutingContext rc, String name, long dflt, long min) {
    String raw = rc.request().getParam(name);
    if (raw == null) {
      return dflt;
    }
    try {
      long v = Long.parseLong(raw);
      if (v < min) {
        throw ApiException.badRequest(name, "must be at least " + min);
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name, "not an integer");
    }
  }

  static Instant instantParam(RoutingContext rc, String name) {
    String raw = rc.request().getParam(name);
    if (raw == null) {
      return null;
    }
    try {
      OffsetDateTime t = OffsetDateTime.parse(raw);
      // RFC 3339 years have four digits; the parser also takes +200000, which Postgres cannot store
      if (t.getYear() >= 1 && t.getYear() <= 9999) {
        return t.toInstant();
      }
    } catch (DateTimeParseException e) {
      // answered below
    }
    throw ApiException.badRequest(name, "not an RFC 3339 time, e.g. 2026-11-22T10:00:00Z");
  }

  static <E extends Enum<E>> E enumParam(RoutingContext rc, String name, Class<E> type) {
    String raw = rc.request().getParam(name);
    if (raw == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, raw.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(name, "unknown value " + raw);
    }
  }

  static String oneOf(RoutingContext rc, String name, String... allowed) {
    String raw = rc.request().getParam(name);
    if (raw == null) {
      return null;
    }
    for (String a : allowed) {
      if (a.equals(raw)) {
        return raw;
      }
    }
    throw ApiException.badRequest(name, "must be one of " + String.join(", ", allowed));
  }

  /** {@code ?job_id=} of a filter: null when absent, 400 naming it when no job could have that id. */
  static String jobIdFilter(RoutingContext rc) {
    String jobId = rc.request().getParam("job_id");
    if (jobId != null && !JsonFields.ID.matcher(jobId).matches()) {
      throw ApiException.badRequest("job_id", "not a job id: " + printable(jobId));
    }
    return jobId;
  }

  /** A job id the API could never have stored cannot name a job: 404, like any other id that does not exist. */
  static String jobId(RoutingContext rc) {
    String raw = rc.pathParam("id");
    if (raw == null || !JsonFields.ID.matcher(raw).matches()) {
      throw ApiException.notFound("job " + printable(raw));
    }
    return raw;
  }

  /** For messages: control characters (NUL...) escaped, so they never reach a client's terminal raw. */
  static String printable(String raw) {
    if (raw == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    raw.codePoints().limit(200).forEach(c -> {
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  /** A malformed run id cannot name a run: 404, like any other id that does not exist. */
  static UUID runId(RoutingContext rc) {
    String raw = rc.pathParam("run_id");
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("run " + printable(raw));
    }
  }
}
