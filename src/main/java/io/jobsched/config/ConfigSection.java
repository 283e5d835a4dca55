package io.jobsched.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Typed, validating reads of one config section; every error names the full key. */
final class ConfigSection {
  private final String name;
  private final JsonObject json;

  ConfigSection(JsonObject root, String name, Set<String> allowedKeys) {
    this.name = name;
    Object value = root.getValue(name);
    if (!(value instanceof JsonObject obj)) {
      throw new ConfigException(name + ": missing section (expected a JSON object)");
    }
    for (String key : obj.fieldNames()) {
      if (!allowedKeys.contains(key)) {
        throw new ConfigException(name + "." + key + ": unknown config key");
      }
    }
    this.json = obj;
  }

  String string(String key, boolean allowEmpty) {
    Object v = json.getValue(key);
    if (!(v instanceof String s) || (!allowEmpty && s.isBlank())) {
      throw bad(key, allowEmpty ? "expected a string" : "expected a non-empty string");
    }
    return s;
  }

  int integer(String key, long min, long max) {
    Object v = json.getValue(key);
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw bad(key, "expected an integer");
    }
    long l = n.longValue();
    if (l < min || l > max) {
      throw bad(key, "must be between " + min + " and " + max + ", got " + l);
    }
    return (int) l;
  }

  boolean bool(String key) {
    if (!(json.getValue(key) instanceof Boolean b)) {
      throw bad(key, "expected true or false");
    }
    return b;
  }

  List<String> strings(String key) {
    if (!(json.getValue(key) instanceof JsonArray arr)) {
      throw bad(key, "expected an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object o : arr) {
      if (!(o instanceof String s) || s.isBlank()) {
        throw bad(key, "expected an array of non-empty strings");
      }
      out.add(s);
    }
    return out;
  }

  Map<String, Integer> positiveInts(String key) {
    if (!(json.getValue(key) instanceof JsonObject obj)) {
      throw bad(key, "expected an object of name -> integer");
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String k : obj.fieldNames()) {
      if (!(obj.getValue(k) instanceof Number n) || n.intValue() < 1 || n.intValue() > 1_000_000) {
        throw bad(key + "." + k, "expected an integer between 1 and 1000000");
      }
      out.put(k, n.intValue());
    }
    return out;
  }

  boolean has(String key) {
    return json.getValue(key) != null;
  }

  /** The sub-object at {@code key}; empty when absent. */
  JsonObject objectOrEmpty(String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return new JsonObject();
    }
    if (!(v instanceof JsonObject obj)) {
      throw bad(key, "expected an object");
    }
    return obj;
  }

  JsonArray array(String key) {
    if (!(json.getValue(key) instanceof JsonArray arr)) {
      throw bad(key, "expected an array");
    }
    return arr;
  }

  ConfigException bad(String key, String why) {
    return new ConfigException(name + "." + key + ": " + why);
  }
}
