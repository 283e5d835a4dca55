package io.jobsched.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The bundled dashboard: the static files of {@code webroot/} (plain ES modules, no build step) at {@code /}.
 * The files need no token (they hold no data; every API call they make carries the user's token). Every answer
 * carries a strict Content-Security-Policy, so the dashboard can run nothing it did not ship: no inline script
 * or style, no other origin, not framed. Files are revalidated on every load ({@code no-cache} with
 * Last-Modified): they have no content hash in their names, so a long max-age would keep an old dashboard
 * against a new API after an upgrade.
 */
final class DashboardRoutes {
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private final StaticHandler files = StaticHandler.create("webroot")
      .setCachingEnabled(true)
      .setDirectoryListing(false)
      .setIncludeHidden(false)
      .setDefaultContentEncoding("UTF-8");

  void mount(Router root) {
    root.route("/*").handler(this::headers).handler(files);
  }

  private void headers(RoutingContext rc) {
    HttpServerResponse response = rc.response();
    response.putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY");
    // StaticHandler's caching writes "public, immutable, max-age=86400": replaced as the headers go out
    rc.addHeadersEndHandler(v -> {
      if (response.getStatusCode() < 400) {
        response.putHeader("Cache-Control", "no-cache");
      }
    });
    rc.next();
  }
}
