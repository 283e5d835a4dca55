package io.jobsched.api;

import io.jobsched.api.json.Instants;
import io.jobsched.metrics.LatenessBuckets;
import io.jobsched.metrics.Overview;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/overview}: the cluster's last hour minute by minute (runs started, finished by status,
 * start lateness) and the queue depth per resource class, for the dashboard's first page.
 */
final class OverviewRoutes {
  private final Overview overview;

  OverviewRoutes(Overview overview) {
    this.overview = overview;
  }

  void mount(Router api) {
    api.get("/overview").handler(this::get);
  }

  private void get(RoutingContext rc) {
    overview.read().onSuccess(snapshot -> {
      JsonArray minutes = new JsonArray();
      for (Overview.Minute m : snapshot.minutes()) {
        JsonArray late = new JsonArray();
        for (long c : m.latenessCounts()) {
          late.add(c);
        }
        minutes.add(new JsonObject().put("at", Instants.format(m.at())).put("started", m.started())
            .put("finished", new JsonObject(new java.util.LinkedHashMap<>(m.finished())))
            .put("lateness_counts", late)
            .put("lateness_p50_ms", m.latenessPercentileMs(0.5))
            .put("lateness_p99_ms", m.latenessPercentileMs(0.99)));
      }
      JsonArray queues = new JsonArray();
      snapshot.queues().forEach(q -> queues.add(new JsonObject().put("class", q.resourceClass())
          .put("ready", q.ready()).put("delayed", q.delayed())));
      Responses.json(rc, 200, new JsonObject().put("window_minutes", Overview.WINDOW_MINUTES)
          .put("lateness_buckets_ms", new JsonArray(LatenessBuckets.BOUNDS_MS))
          .put("minutes", minutes).put("queues", queues));
    }).onFailure(err -> Responses.failure(rc, err));
  }
}
