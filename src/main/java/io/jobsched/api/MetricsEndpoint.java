package io.jobsched.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;

/**
 * {@code GET /metrics}: the node's meters as Prometheus text. Open without a token, like {@code /health}: bind
 * {@code http.host} to an interface only the scraper and the operators reach.
 */
final class MetricsEndpoint {
  private MetricsEndpoint() {
  }

  static void mount(Router root, MeterRegistry registry) {
    if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
      return;
    }
    // rendering walks every meter: off the event loop
    root.get("/metrics").handler(rc -> rc.vertx().<String>executeBlocking(prometheus::scrape, false)
        .onSuccess(text -> rc.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text))
        .onFailure(rc::fail));
  }
}
