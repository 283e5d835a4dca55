package io.jobsched.api.json;

import io.jobsched.job.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict reads of JSON request fields that collect every problem with its path instead of stopping at
 * the first, so a client fixes a body in one round trip.
 */
public final class JsonFields {
  public static final Pattern ID = io.jobsched.job.Job.ID;

  private final List<FieldError> errors = new ArrayList<>();

  public List<FieldError> errors() {
    return errors;
  }

  public void error(String path, String message) {
    errors.add(new FieldError(path, message));
  }

  public static String path(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  /** Reports every key of {@code obj} not in {@code allowed}. */
  public void onlyKnown(JsonObject obj, String parent, Set<String> allowed) {
    for (String key : obj.fieldNames()) {
      if (!allowed.contains(key)) {
        error(path(parent, key), "unknown field");
      }
    }
  }

  public JsonObject object(JsonObject obj, String key, String parent, boolean required) {
    Object v = obj.getValue(key);
    if (v == null) {
      if (required) {
        error(path(parent, key), "required");
      }
      return null;
    }
    if (v instanceof JsonObject o) {
      return o;
    }
    error(path(parent, key), "expected an object");
    return null;
  }

  public String string(JsonObject obj, String key, String parent, String dflt, int maxLen) {
    Object v = obj.getValue(key);
    if (v == null) {
      return dflt;
    }
    return checkString(v, path(parent, key), maxLen);
  }

  String checkString(Object v, String path, int maxLen) {
    if (!(v instanceof String s)) {
      error(path, "expected a string");
      return null;
    }
    if (s.length() > maxLen) {
      error(path, "longer than " + maxLen + " characters");
      return null;
    }
    if (s.indexOf('\0') >= 0) {
      error(path, "contains a NUL character");
      return null;
    }
    return s;
  }

  public String id(JsonObject obj, String key, String parent, boolean required) {
    String s = string(obj, key, parent, null, 128);
    if (s == null) {
      if (required && obj.getValue(key) == null) {
        error(path(parent, key), "required");
      }
      return null;
    }
    if (!ID.matcher(s).matches()) {
      error(path(parent, key), "must match [A-Za-z0-9._-]{1,128}");
      return null;
    }
    return s;
  }

  public <E extends Enum<E>> E enumValue(JsonObject obj, String key, String parent, Class<E> type, E dflt) {
    String s = string(obj, key, parent, null, 64);
    if (s == null) {
      return obj.getValue(key) == null ? dflt : null;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase().equals(s)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase());
    }
    error(path(parent, key), "must be one of " + String.join(", ", names));
    return null;
  }

  public Integer integer(JsonObject obj, String key, String parent, int dflt, int min, int max) {
    Object v = obj.getValue(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      error(path(parent, key), "expected an integer");
      return null;
    }
    if (n.doubleValue() < min || n.doubleValue() > max) {
      error(path(parent, key), "must be between " + min + " and " + max);
      return null;
    }
    return n.intValue();
  }

  public Double number(JsonObject obj, String key, String parent, double dflt, double min, double max) {
    Object v = obj.getValue(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number n) || Double.isNaN(n.doubleValue())) {
      error(path(parent, key), "expected a number");
      return null;
    }
    if (n.doubleValue() < min || n.doubleValue() > max) {
      error(path(parent, key), "must be between " + min + " and " + max);
      return null;
    }
    return n.doubleValue();
  }

  /** ISO-8601 duration within [min, max]. */
  public Duration duration(JsonObject obj, String key, String parent, Duration dflt, Duration min, Duration max) {
    String s = string(obj, key, parent, null, 64);
    if (s == null) {
      return obj.getValue(key) == null ? dflt : null;
    }
    try {
      Duration d = Duration.parse(s);
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        error(path(parent, key), "must be between " + min + " and " + max);
        return null;
      }
      return d;
    } catch (RuntimeException e) {
      error(path(parent, key), "not an ISO-8601 duration such as PT30S");
      return null;
    }
  }

  public Instant instant(JsonObject obj, String key, String parent, boolean required) {
    String s = string(obj, key, parent, null, 64);
    if (s == null) {
      if (required && obj.getValue(key) == null) {
        error(path(parent, key), "required");
      }
      return null;
    }
    try {
      // Postgres keeps microseconds: normalise here so the stored definition and the fire times agree
      return Instants.parse(s).truncatedTo(ChronoUnit.MICROS);
    } catch (RuntimeException e) {
      error(path(parent, key), "not an RFC 3339 time such as 2026-11-22T10:00:00Z");
      return null;
    }
  }

  /** A JSON object of string values, at most {@code maxEntries}, keys matching {@code keyPattern}. */
  public Map<String, String> stringMap(JsonObject obj, String key, String parent, int maxEntries, Pattern keyPattern,
                                       int maxValueLen) {
    JsonObject o = object(obj, key, parent, false);
    Map<String, String> out = new LinkedHashMap<>();
    if (o == null) {
      return out;
    }
    if (o.size() > maxEntries) {
      error(path(parent, key), "at most " + maxEntries + " entries");
      return out;
    }
    for (String k : o.fieldNames()) {
      String p = path(path(parent, key), k);
      if (!keyPattern.matcher(k).matches() || k.indexOf('\0') >= 0) {
        error(p, "key must match " + keyPattern.pattern());
        continue;
      }
      String v = checkString(o.getValue(k), p, maxValueLen);
      if (v != null) {
        out.put(k, v);
      }
    }
    return out;
  }

  /** A non-empty array of strings. */
  public List<String> strings(JsonObject obj, String key, String parent, int maxItems, int maxLen) {
    Object v = obj.getValue(key);
    String p = path(parent, key);
    if (!(v instanceof JsonArray arr)) {
      error(p, v == null ? "required" : "expected an array of strings");
      return null;
    }
    if (arr.isEmpty() || arr.size() > maxItems) {
      error(p, "must have 1 to " + maxItems + " items");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      String s = checkString(arr.getValue(i), p + "[" + i + "]", maxLen);
      out.add(s);
    }
    return out.contains(null) ? null : out;
  }
}
