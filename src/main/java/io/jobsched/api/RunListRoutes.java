package io.jobsched.api;

import io.jobsched.api.json.RunJson;
import io.jobsched.run.RunStatus;
import io.jobsched.service.ApiException;
import io.jobsched.service.Caller;
import io.jobsched.store.RunsAcross;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

/**
 * {@code GET /api/v1/runs?status=&job_id=&namespace=&since=&until=&limit=&cursor=}: runs across jobs, newest
 * first, keyset-paged ({@link RunsAcross}: each page looks at a bounded number of runs, so a rare filter gives
 * short pages with a cursor rather than a scan of the year). A namespace-bound token sees its namespaces only.
 * Runs of archived months are not listed here (a job's history pages include them).
 */
final class RunListRoutes {
  private final RunsAcross runs;

  RunListRoutes(RunsAcross runs) {
    this.runs = runs;
  }

  void mount(Router api) {
    api.get("/runs").handler(this::list);
  }

  private void list(RoutingContext rc) {
    RunStatus status = QueryParams.enumParam(rc, "status", RunStatus.class);
    String jobId = QueryParams.jobIdFilter(rc);
    String namespace = rc.request().getParam("namespace");
    Instant since = QueryParams.instantParam(rc, "since");
    Instant until = QueryParams.instantParam(rc, "until");
    int limit = QueryParams.intParam(rc, "limit", 50, 1, 1000);
    UUID before = cursor(rc.request().getParam("cursor"));
    Caller caller = BearerAuth.caller(rc);
    Set<String> namespaces = namespace == null ? caller.namespaces() : caller.sees(namespace) ? Set.of(namespace) : Set.of();
    if (namespaces != null && namespaces.isEmpty()) {
      Responses.json(rc, 200, new JsonObject().put("items", new JsonArray()).put("next_cursor", (String) null));
      return;
    }
    runs.page(status, jobId, namespaces, since, until, before, limit)
        .onSuccess(page -> {
          JsonArray items = new JsonArray();
          page.runs().forEach(r -> items.add(RunJson.toJson(r, false)));
          Responses.json(rc, 200, new JsonObject().put("items", items).put("next_cursor",
              page.next() == null ? null : Base64.getUrlEncoder().withoutPadding()
                  .encodeToString(page.next().toString().getBytes(StandardCharsets.UTF_8))));
        })
        .onFailure(err -> Responses.failure(rc, err));
  }

  private static UUID cursor(String raw) {
    if (raw == null) {
      return null;
    }
    try {
      return UUID.fromString(new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("cursor", "not a cursor this list returned");
    }
  }
}
