package io.jobsched.api.json;

import io.jobsched.job.EventBusTask;
import io.jobsched.job.HttpTask;
import io.jobsched.job.NoopTask;
import io.jobsched.job.ShellTask;
import io.jobsched.job.TaskSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The {@code task} object of a job. */
final class TaskCodec {
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern HEADER_KEY = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}");
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");

  private TaskCodec() {
  }

  static TaskSpec parse(JsonObject o, JsonFields f) {
    String type = f.string(o, "type", "task", null, 16);
    if (type == null) {
      if (o.getValue("type") == null) {
        f.error("task.type", "required: one of shell, http, eventbus, noop");
      }
      return null;
    }
    switch (type) {
      case "shell" -> {
        f.onlyKnown(o, "task", Set.of("type", "command", "env", "workdir"));
        List<String> command = f.strings(o, "command", "task", 256, 32 * 1024);
        Map<String, String> env = f.stringMap(o, "env", "task", 256, ENV_KEY, 32 * 1024);
        String workdir = f.string(o, "workdir", "task", null, 4096);
        return command == null ? null : new ShellTask(command, env, workdir);
      }
      case "http" -> {
        f.onlyKnown(o, "task", Set.of("type", "method", "url", "headers", "body"));
        String method = f.string(o, "method", "task", "GET", 8);
        if (method != null && !METHODS.contains(method)) {
          f.error("task.method", "must be one of " + String.join(", ", METHODS));
        }
        URI url = url(f.string(o, "url", "task", null, 8192), o.getValue("url") == null, f);
        Map<String, String> headers = f.stringMap(o, "headers", "task", 64, HEADER_KEY, 8192);
        String body = f.string(o, "body", "task", null, 1 << 20);
        return url == null || method == null || !METHODS.contains(method) ? null : new HttpTask(method, url, headers, body);
      }
      case "eventbus" -> {
        f.onlyKnown(o, "task", Set.of("type", "address", "body"));
        String address = f.string(o, "address", "task", null, 256);
        if (address == null || address.isBlank()) {
          f.error("task.address", "required");
          return null;
        }
        Object body = o.getValue("body");
        return new EventBusTask(address, body instanceof JsonObject j ? j.getMap()
            : body instanceof JsonArray a ? a.getList() : body);
      }
      case "noop" -> {
        f.onlyKnown(o, "task", Set.of("type", "duration"));
        Duration d = f.duration(o, "duration", "task", Duration.ZERO, Duration.ZERO, Duration.ofDays(1));
        return d == null ? null : new NoopTask(d);
      }
      default -> {
        f.error("task.type", "must be one of shell, http, eventbus, noop");
        return null;
      }
    }
  }

  private static URI url(String raw, boolean missing, JsonFields f) {
    if (raw == null) {
      if (missing) {
        f.error("task.url", "required");
      }
      return null;
    }
    try {
      URI uri = new URI(raw);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        f.error("task.url", "must be an absolute http or https URL");
        return null;
      }
      return uri;
    } catch (Exception e) {
      f.error("task.url", "not a URL");
      return null;
    }
  }

  static JsonObject toJson(TaskSpec t) {
    JsonObject o = new JsonObject().put("type", t.type());
    if (t instanceof ShellTask s) {
      o.put("command", new JsonArray(List.copyOf(s.command())))
          .put("env", new JsonObject(new LinkedHashMap<>(s.env())));
      if (s.workdir() != null) {
        o.put("workdir", s.workdir());
      }
    } else if (t instanceof HttpTask h) {
      o.put("method", h.method()).put("url", h.url().toString())
          .put("headers", new JsonObject(new LinkedHashMap<>(h.headers())));
      if (h.body() != null) {
        o.put("body", h.body());
      }
    } else if (t instanceof EventBusTask e) {
      o.put("address", e.address()).put("body", e.body());
    } else if (t instanceof NoopTask n) {
      o.put("duration", n.duration().toString());
    }
    return o;
  }
}
