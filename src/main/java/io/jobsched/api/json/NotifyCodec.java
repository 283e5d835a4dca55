package io.jobsched.api.json;

import io.jobsched.job.NotifyEvent;
import io.jobsched.job.NotifyRule;
import io.jobsched.job.NotifyTarget;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A job's {@code notify} list (JSON ↔ {@link NotifyRule}): {@code [{"on": ["failure", …], "webhook": {"url",
 * "headers"}} | {"on": […], "eventbus": {"address"}}]}. Every error names its field, e.g.
 * {@code notify[0].webhook.url}.
 */
final class NotifyCodec {
  private static final Pattern HEADER_KEY = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}");
  private static final int MAX_URL = 2048;
  private static final int MAX_HEADERS = 32;
  private static final int MAX_HEADER_VALUE = 4096;
  private static final int MAX_ADDRESS = 256;

  private NotifyCodec() {
  }

  static List<NotifyRule> parse(JsonObject body, JsonFields f) {
    Object v = body.getValue("notify");
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray arr)) {
      f.error("notify", "expected an array of rules");
      return List.of();
    }
    if (arr.size() > NotifyRule.MAX_RULES) {
      f.error("notify", "at most " + NotifyRule.MAX_RULES + " rules");
      return List.of();
    }
    List<NotifyRule> rules = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      String p = "notify[" + i + "]";
      if (!(arr.getValue(i) instanceof JsonObject o)) {
        f.error(p, "expected an object");
        continue;
      }
      f.onlyKnown(o, p, Set.of("on", "webhook", "eventbus"));
      Set<NotifyEvent> on = events(o, p, f);
      NotifyTarget target = target(o, p, f);
      if (on != null && target != null) {
        rules.add(new NotifyRule(on, target));
      }
    }
    return rules;
  }

  private static Set<NotifyEvent> events(JsonObject o, String p, JsonFields f) {
    List<String> names = f.strings(o, "on", p, NotifyEvent.values().length, 16);
    if (names == null) {
      return null;
    }
    Set<NotifyEvent> out = EnumSet.noneOf(NotifyEvent.class);
    for (int j = 0; j < names.size(); j++) {
      NotifyEvent e = event(names.get(j));
      if (e == null) {
        f.error(p + ".on[" + j + "]", "must be one of success, failure, timeout, skipped");
        return null;
      }
      if (!out.add(e)) {
        f.error(p + ".on[" + j + "]", "listed twice");
        return null;
      }
    }
    return out;
  }

  private static NotifyEvent event(String name) {
    for (NotifyEvent e : NotifyEvent.values()) {
      if (e.wire().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static NotifyTarget target(JsonObject o, String p, JsonFields f) {
    if (o.containsKey("webhook") == o.containsKey("eventbus")) {
      f.error(p, "needs exactly one target: webhook or eventbus");
      return null;
    }
    if (o.containsKey("eventbus")) {
      JsonObject e = f.object(o, "eventbus", p, true);
      if (e == null) {
        return null;
      }
      String ep = p + ".eventbus";
      f.onlyKnown(e, ep, Set.of("address"));
      String address = f.string(e, "address", ep, null, MAX_ADDRESS);
      if (address == null || address.isBlank()) {
        if (address != null || e.getValue("address") == null) {
          f.error(ep + ".address", "required: a non-empty event-bus address");
        }
        return null;
      }
      return new NotifyTarget.EventBus(address);
    }
    JsonObject w = f.object(o, "webhook", p, true);
    if (w == null) {
      return null;
    }
    String wp = p + ".webhook";
    f.onlyKnown(w, wp, Set.of("url", "headers"));
    String url = url(w, wp, f);
    Map<String, String> headers = f.stringMap(w, "headers", wp, MAX_HEADERS, HEADER_KEY, MAX_HEADER_VALUE);
    headers.forEach((k, v) -> {
      if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
        f.error(wp + ".headers." + k, "must not contain a line break");
      }
    });
    return url == null ? null : new NotifyTarget.Webhook(url, headers);
  }

  private static String url(JsonObject w, String wp, JsonFields f) {
    String raw = f.string(w, "url", wp, null, MAX_URL);
    if (raw == null) {
      if (w.getValue("url") == null) {
        f.error(wp + ".url", "required");
      }
      return null;
    }
    try {
      URI uri = new URI(raw);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return raw;
      }
    } catch (Exception e) {
      // reported below, as any URL that is not http(s)
    }
    f.error(wp + ".url", "must be an absolute http or https URL");
    return null;
  }

  static JsonArray toJson(List<NotifyRule> rules) {
    JsonArray out = new JsonArray();
    for (NotifyRule r : rules) {
      JsonArray on = new JsonArray();
      EnumSet.copyOf(r.on()).forEach(e -> on.add(e.wire()));
      JsonObject rule = new JsonObject().put("on", on);
      if (r.target() instanceof NotifyTarget.Webhook w) {
        rule.put("webhook", new JsonObject().put("url", w.url()).put("headers", new JsonObject(new LinkedHashMap<>(w.headers()))));
      } else {
        rule.put("eventbus", new JsonObject().put("address", ((NotifyTarget.EventBus) r.target()).address()));
      }
      out.add(rule);
    }
    return out;
  }
}
