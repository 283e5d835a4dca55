package io.jobsched.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code conf/jobsched.json} and applies {@code JOBSCHED_<SECTION>_<KEY>} environment overrides
 * (e.g. {@code JOBSCHED_POSTGRES_PORT=5432}, {@code JOBSCHED_WORKER_CAPACITY={"small":8}}).
 * An override's type follows the default it replaces, so a typo'd or unknown key fails start-up
 * instead of being ignored.
 */
public final class ConfigLoader {
  public static final String ENV_PREFIX = "JOBSCHED_";
  /** Variables that steer the loader itself rather than override a key. */
  private static final String CONF_PATH_VAR = "JOBSCHED_CONF";

  private ConfigLoader() {
  }

  public static JobschedConfig load(Map<String, String> env) {
    Path path = Path.of(env.getOrDefault(CONF_PATH_VAR, "conf/jobsched.json"));
    JsonObject file;
    try {
      file = new JsonObject(Files.readString(path));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + path.toAbsolutePath() + ": " + e.getMessage()
          + " (set JOBSCHED_CONF to its path)");
    } catch (DecodeException e) {
      throw new ConfigException("config file " + path + " is not valid JSON: " + e.getMessage());
    }
    return JobschedConfig.from(applyEnv(file, env));
  }

  /** Returns a copy of {@code base} with every {@code JOBSCHED_*} variable applied. */
  public static JsonObject applyEnv(JsonObject base, Map<String, String> env) {
    JsonObject merged = base.copy();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(ENV_PREFIX) || name.equals(CONF_PATH_VAR)) {
        continue;
      }
      applyOne(merged, name, e.getValue());
    }
    return merged;
  }

  private static void applyOne(JsonObject conf, String varName, String value) {
    String rest = varName.substring(ENV_PREFIX.length()).toLowerCase();
    for (String section : conf.fieldNames()) {
      if (rest.startsWith(section + "_") && conf.getValue(section) instanceof JsonObject sectionObj) {
        String key = rest.substring(section.length() + 1);
        if (!sectionObj.containsKey(key)) {
          break;
        }
        sectionObj.put(key, coerce(section + "." + key, sectionObj.getValue(key), value, varName));
        return;
      }
    }
    throw new ConfigException(varName + ": no such config key (expected JOBSCHED_<SECTION>_<KEY>, e.g. JOBSCHED_HTTP_PORT)");
  }

  private static Object coerce(String key, Object current, String raw, String varName) {
    try {
      if (current instanceof Integer || current instanceof Long) {
        return Long.parseLong(raw.trim());
      }
      if (current instanceof Number) {
        return Double.parseDouble(raw.trim());
      }
      if (current instanceof Boolean) {
        if (!raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false")) {
          throw new IllegalArgumentException("expected true or false");
        }
        return Boolean.parseBoolean(raw);
      }
      if (current instanceof JsonArray && raw.trim().startsWith("[")) {
        return new JsonArray(raw);
      }
      if (current instanceof JsonArray) {
        JsonArray arr = new JsonArray();
        for (String part : raw.split(",")) {
          if (!part.isBlank()) {
            arr.add(part.trim());
          }
        }
        return arr;
      }
      if (current instanceof JsonObject) {
        return new JsonObject(raw);
      }
      return raw;
    } catch (RuntimeException e) {
      throw new ConfigException(key + " (from " + varName + "=" + raw + "): " + e.getMessage());
    }
  }
}
