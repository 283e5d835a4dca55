package io.jobsched.api;

import io.jobsched.logs.EsLogStore;
import io.jobsched.logs.LogCursor;
import io.jobsched.logs.LogHit;
import io.jobsched.logs.LogSearch;
import io.jobsched.service.ApiException;
import io.jobsched.service.Caller;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/logs/search?q=&job_id=&run_id=&stream=&since=&until=&limit=&cursor=}: full-text search over
 * every run's output in Elasticsearch, newest first, {@code search_after} paging, matches highlighted. A
 * namespace-bound token finds only lines of its namespaces (a filter in the query, not after it).
 */
final class LogRoutes {
  private static final int MAX_QUERY = 1000;

  private final EsLogStore logs;

  LogRoutes(EsLogStore logs) {
    this.logs = logs;
  }

  void mount(Router api) {
    api.get("/logs/search").handler(this::search);
  }

  private void search(RoutingContext rc) {
    String text = rc.request().getParam("q");
    if (text != null && text.length() > MAX_QUERY) {
      throw ApiException.badRequest("q", "at most " + MAX_QUERY + " characters");
    }
    String jobId = QueryParams.jobIdFilter(rc);
    UUID runId = uuid(rc.request().getParam("run_id"));
    String stream = QueryParams.oneOf(rc, "stream", "stdout", "stderr");
    Instant since = QueryParams.instantParam(rc, "since");
    Instant until = QueryParams.instantParam(rc, "until");
    int limit = QueryParams.intParam(rc, "limit", 50, 1, 1000);
    String cursor = rc.request().getParam("cursor");
    LogCursor after;
    try {
      after = cursor == null ? null : LogCursor.decode(cursor);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("cursor", "not a cursor this search returned");
    }
    Caller caller = BearerAuth.caller(rc);
    logs.search(new LogSearch(text, jobId, runId, stream, since, until, limit, after, caller.namespaces()))
        .onSuccess(hits -> Responses.json(rc, 200, page(hits, limit)))
        .onFailure(err -> Responses.failure(rc, err));
  }

  private static UUID uuid(String raw) {
    try {
      return raw == null ? null : UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("run_id", "not a run id: " + QueryParams.printable(raw));
    }
  }

  private static JsonObject page(List<LogHit> hits, int limit) {
    JsonArray items = new JsonArray();
    for (LogHit h : hits) {
      items.add(RunRoutes.lineJson(h.line()).put("run_id", h.line().runId().toString())
          .put("job_id", h.line().jobId()).put("namespace", h.line().namespace())
          .put("highlights", new JsonArray(h.highlights())));
    }
    String next = null;
    if (hits.size() == limit) {
      LogHit last = hits.get(hits.size() - 1);
      next = new LogCursor(last.line().ts().toEpochMilli(), last.line().runId(), last.line().seq()).encode();
    }
    return new JsonObject().put("items", items).put("next_cursor", next);
  }
}
