package io.jobsched.api;

import io.jobsched.config.AuthConfig;
import io.jobsched.config.JobschedConfig;
import io.jobsched.service.ApiException;
import io.jobsched.service.Caller;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Resolves {@code Authorization: Bearer <token>} to a {@link Caller}: no or unknown token → 401, a scope
 * too weak for the method (reads need read, anything else write) → 403. Without configured tokens (only
 * allowed on loopback) every request is trusted.
 */
final class BearerAuth {
  private static final String KEY = "jobsched.caller";

  private final Map<String, Caller> bySha256 = new HashMap<>();

  BearerAuth(JobschedConfig.Auth auth) {
    for (JobschedConfig.Token t : auth.tokens()) {
      Caller.Scope scope = Caller.Scope.valueOf(t.scope().toUpperCase());
      // an unnamed token is recorded in job versions by a prefix of its hash: an id, never the secret
      bySha256.put(t.sha256(), new Caller(t.name() == null ? t.scope() + " token" : t.name(), scope,
          t.namespaces() == null ? null : new HashSet<>(t.namespaces()),
          t.taskKinds() == null ? null : new HashSet<>(t.taskKinds()),
          t.name() == null ? "token sha256:" + t.sha256().substring(0, 12) : t.name()));
    }
  }

  void handle(RoutingContext rc) {
    if (bySha256.isEmpty()) {
      rc.put(KEY, Caller.ANONYMOUS);
      rc.next();
      return;
    }
    String header = rc.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      rc.response().putHeader("WWW-Authenticate", "Bearer");
      Responses.error(rc, 401, "unauthorized", "missing bearer token (Authorization: Bearer <token>)", List.of());
      return;
    }
    Caller caller = bySha256.get(AuthConfig.sha256(header.substring(7).trim()));
    if (caller == null) {
      rc.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      Responses.error(rc, 401, "unauthorized", "unknown bearer token", List.of());
      return;
    }
    HttpMethod m = rc.request().method();
    Caller.Scope needed = m == HttpMethod.GET || m == HttpMethod.HEAD ? Caller.Scope.READ : Caller.Scope.WRITE;
    if (!caller.scope().covers(needed)) {
      Responses.error(rc, 403, "forbidden", "this token's scope (" + caller.scope().name().toLowerCase()
          + ") does not allow " + m.name(), List.of());
      return;
    }
    rc.put(KEY, caller);
    rc.next();
  }

  static Caller caller(RoutingContext rc) {
    Caller caller = rc.get(KEY);
    if (caller == null) {
      throw new ApiException(401, "unauthorized", "not authenticated");
    }
    return caller;
  }
}
