package io.jobsched.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The last handler of a router: no route took the request. A path the router serves under other methods is
 * a 405 with {@code Allow} naming them; any other path is a 404. Both in API.md's error shape. The methods
 * are read from the router's own routes, so a new endpoint cannot be forgotten here.
 */
final class NoRoute {
  private NoRoute() {
  }

  static void answer(RoutingContext rc, Router router) {
    String method = rc.request().method().name();
    String path = rc.normalizedPath();
    String relative = relative(path, rc.mountPoint());
    Set<String> allowed = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      Set<HttpMethod> methods = route.methods();
      // getPath is the template as mounted ("/jobs/:id"); routes made from a regex have none
      if (route.getPath() != null && methods != null && !methods.isEmpty()
          && matches(route.getPath(), relative)) {
        methods.forEach(m -> allowed.add(m.name()));
      }
    }
    if (allowed.isEmpty()) {
      Responses.error(rc, 404, "not_found", "no such endpoint: " + method + " " + path, List.of());
    } else {
      String allow = String.join(", ", allowed);
      rc.response().putHeader("Allow", allow);
      Responses.error(rc, 405, "method_not_allowed", method + " is not allowed on " + path + "; allowed: " + allow,
          List.of());
    }
  }

  private static String relative(String path, String mountPoint) {
    if (mountPoint == null || mountPoint.isEmpty() || !path.startsWith(mountPoint)) {
      return path;
    }
    String rest = path.substring(mountPoint.endsWith("/") ? mountPoint.length() - 1 : mountPoint.length());
    return rest.isEmpty() ? "/" : rest;
  }

  /** Segment by segment: {@code :name} takes any one non-empty segment, as the router's own matching does. */
  static boolean matches(String template, String path) {
    String[] want = trim(template).split("/", -1);
    String[] have = trim(path).split("/", -1);
    if (want.length != have.length) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      boolean param = want[i].startsWith(":") && !have[i].isEmpty();
      if (!param && !want[i].equals(have[i])) {
        return false;
      }
    }
    return true;
  }

  private static String trim(String p) {
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
