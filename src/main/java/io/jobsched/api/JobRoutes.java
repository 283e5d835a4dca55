package io.jobsched.api;

import io.jobsched.api.json.Instants;
import io.jobsched.api.json.JobVersionJson;
import io.jobsched.api.json.JsonFields;
import io.jobsched.api.json.RunJson;
import io.jobsched.api.json.StoredJobJson;
import io.jobsched.job.NextFires;
import io.jobsched.run.RunStatus;
import io.jobsched.service.ApiException;
import io.jobsched.service.JobService;
import io.jobsched.service.ManualTrigger;
import io.jobsched.service.RunService;
import io.jobsched.store.RecentRuns;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/jobs...}: translate HTTP to {@link JobService} / {@link RunService} calls and back. */
final class JobRoutes {
  private final JobService jobs;
  private final RunService runs;
  private final ManualTrigger trigger;

  JobRoutes(JobService jobs, RunService runs, ManualTrigger trigger) {
    this.jobs = jobs;
    this.runs = runs;
    this.trigger = trigger;
  }

  void mount(Router api) {
    api.post("/jobs").handler(this::create);
    api.post("/jobs/batch").handler(this::createBatch);
    api.get("/jobs").handler(this::list);
    api.get("/jobs/:id").handler(this::get);
    api.put("/jobs/:id").handler(this::upsert);
    api.delete("/jobs/:id").handler(this::delete);
    api.post("/jobs/:id/pause").handler(rc -> setPaused(rc, true));
    api.post("/jobs/:id/resume").handler(rc -> setPaused(rc, false));
    api.post("/jobs/:id/trigger").handler(this::trigger);
    api.get("/jobs/:id/runs").handler(this::listRuns);
    api.get("/jobs/:id/next-fires").handler(this::nextFires);
    api.get("/jobs/:id/versions").handler(this::versions);
    api.get("/jobs/:id/versions/:version").handler(this::version);
    api.post("/jobs/:id/rollback").handler(this::rollback);
  }

  private void versions(RoutingContext rc) {
    int limit = QueryParams.intParam(rc, "limit", 50, 1, 1000);
    jobs.history().list(BearerAuth.caller(rc), QueryParams.jobId(rc), rc.request().getParam("cursor"), limit)
        .onSuccess(page -> {
          JsonArray items = new JsonArray();
          page.items().forEach(v -> items.add(JobVersionJson.toJson(v)));
          Responses.json(rc, 200, new JsonObject().put("items", items).put("next_cursor", page.nextCursor()));
        })
        .onFailure(err -> Responses.failure(rc, err));
  }

  private void version(RoutingContext rc) {
    long version;
    try {
      version = Long.parseLong(rc.pathParam("version"));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("version", "expected a version number");
    }
    if (version < 1) {
      throw ApiException.badRequest("version", "expected a version number");
    }
    jobs.history().get(BearerAuth.caller(rc), QueryParams.jobId(rc), version)
        .onSuccess(v -> Responses.json(rc, 200, JobVersionJson.toJson(v)))
        .onFailure(err -> Responses.failure(rc, err));
  }

  /** {@code {"version": N}}: restores version N as a new version; 201 when it re-created a deleted job. */
  private void rollback(RoutingContext rc) {
    String id = QueryParams.jobId(rc);
    long version = JobRequests.rollbackVersion(Bodies.object(rc));
    jobs.rollback(BearerAuth.caller(rc), id, version)
        .onSuccess(u -> Responses.json(rc, u.created() ? 201 : 200, StoredJobJson.toJson(u.job())))
        .onFailure(err -> Responses.failure(rc, err));
  }

  private void createBatch(RoutingContext rc) {
    jobs.createBatch(BearerAuth.caller(rc), JobRequests.batch(Bodies.object(rc)))
        .onSuccess(created -> {
          JsonArray items = new JsonArray();
          created.forEach(j -> items.add(StoredJobJson.toJson(j)));
          Responses.json(rc, 201, new JsonObject().put("items", items));
        })
        .onFailure(err -> Responses.failure(rc, err));
  }

  private void list(RoutingContext rc) {
    String namespace = rc.request().getParam("namespace");
    String pausedRaw = QueryParams.oneOf(rc, "paused", "true", "false");
    JsonObject labels = new JsonObject();
    for (String label : rc.queryParam("label")) {
      int colon = label.indexOf(':');
      if (colon <= 0) {
        throw ApiException.badRequest("label", "expected key:value, got " + label);
      }
      labels.put(label.substring(0, colon), label.substring(colon + 1));
    }
    int limit = QueryParams.intParam(rc, "limit", 50, 1, 1000);
    // extensions for the dashboard: ?q= (id or name contains) and ?include=recent_runs (the history strip)
    String text = rc.request().getParam("q");
    boolean recent = QueryParams.oneOf(rc, "include", "recent_runs") != null;
    jobs.list(BearerAuth.caller(rc), namespace, pausedRaw == null ? null : Boolean.valueOf(pausedRaw), labels, text,
            rc.request().getParam("cursor"), limit)
        .compose(page -> !recent ? Future.succeededFuture(jobsJson(page, null))
            : jobs.recentRuns(page.items().stream().map(j -> j.job().id()).toList(), RecentRuns.MAX)
                .map(strips -> jobsJson(page, strips)))
        .onSuccess(body -> Responses.json(rc, 200, body))
        .onFailure(err -> Responses.failure(rc, err));
  }

  /** A page of jobs; with {@code strips} (null: not asked for), each job gets {@code recent_runs}: its newest runs, newest first. */
  static JsonObject jobsJson(JobService.JobPage page, Map<String, List<RecentRuns.Recent>> strips) {
    JsonArray items = new JsonArray();
    page.items().forEach(j -> {
      JsonObject json = StoredJobJson.toJson(j);
      if (strips != null) {
        JsonArray runs = new JsonArray();
        strips.getOrDefault(j.job().id(), List.of()).forEach(r -> runs.add(new JsonObject().put("id", r.id().toString())
            .put("status", r.status().name()).put("scheduled_for", Instants.format(r.scheduledFor()))
            .put("attempt", r.attempt())));
        json.put("recent_runs", runs);
      }
      items.add(json);
    });
    return new JsonObject().put("items", items).put("next_cursor", page.nextCursor());
  }

  private void upsert(RoutingContext rc) {
    Long ifMatch = ifMatch(rc);
    String id = rc.pathParam("id");
    if (!JsonFields.ID.matcher(id).matches()) {
      throw ApiException.badRequest("id", "must match " + JsonFields.ID.pattern());
    }
    jobs.upsert(BearerAuth.caller(rc), id, JobRequests.one(Bodies.object(rc), id), ifMatch)
        .onSuccess(u -> Responses.json(rc, u.created() ? 201 : 200, StoredJobJson.toJson(u.job())))
        .onFailure(err -> Responses.failure(rc, err));
  }

  /** {@code If-Match: 3} or the quoted ETag form {@code "3"}. */
  private static Long ifMatch(RoutingContext rc) {
    String raw = rc.request().getHeader("If-Match");
    if (raw == null) {
      return null;
    }
    String v = raw.trim().replaceAll("^W/", "").replace("\"", "");
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("If-Match", "expected the job's version number");
    }
  }

  private void delete(RoutingContext rc) {
    jobs.delete(BearerAuth.caller(rc), QueryParams.jobId(rc))
        .onSuccess(v -> rc.response().setStatusCode(204).end())
        .onFailure(err -> Responses.failure(rc, err));
  }

  private void setPaused(RoutingContext rc, boolean paused) {
    jobs.setPaused(BearerAuth.caller(rc), QueryParams.jobId(rc), paused)
        .onSuccess(job -> Responses.json(rc, 200, StoredJobJson.toJson(job)))
        .onFailure(err -> Responses.failure(rc, err));
  }

  private void trigger(RoutingContext rc) {
    boolean force = false;
    if (rc.body().length() > 0) {
      JsonObject body = Bodies.object(rc);
      for (String key : body.fieldNames()) {
        if (!key.equals("force")) {
          throw ApiException.badRequest(key, "unknown field");
        }
      }
      if (body.containsKey("force") && !(body.getValue("force") instanceof Boolean)) {
        throw ApiException.badRequest("force", "expected true or false");
      }
      force = body.getBoolean("force", false);
    }
    trigger.trigger(BearerAuth.caller(rc), QueryParams.jobId(rc), force)
        .onSuccess(run -> Responses.json(rc, 202, RunJson.toJson(run)))
        .onFailure(err -> Responses.failure(rc, err));
  }

  private void create(RoutingContext rc) {
    jobs.create(BearerAuth.caller(rc), JobRequests.one(Bodies.object(rc), null))
        .onSuccess(job -> Responses.json(rc, 201, StoredJobJson.toJson(job)))
        .onFailure(err -> Responses.failure(rc, err));
  }

  private void get(RoutingContext rc) {
    jobs.get(BearerAuth.caller(rc), QueryParams.jobId(rc))
        .onSuccess(job -> Responses.json(rc, 200, StoredJobJson.toJson(job)))
        .onFailure(err -> Responses.failure(rc, err));
  }

  private void nextFires(RoutingContext rc) {
    int n = QueryParams.intParam(rc, "n", 5, 1, 100);
    jobs.get(BearerAuth.caller(rc), QueryParams.jobId(rc))
        .onSuccess(stored -> {
          JsonArray items = new JsonArray();
          NextFires.of(stored.job().schedule(), stored.nextFireAt(), stored.paused(), n)
              .forEach(fire -> items.add(Instants.format(fire)));
          Responses.json(rc, 200, new JsonObject().put("items", items));
        })
        .onFailure(err -> Responses.failure(rc, err));
  }

  private void listRuns(RoutingContext rc) {
    String jobId = QueryParams.jobId(rc);
    RunStatus status = QueryParams.enumParam(rc, "status", RunStatus.class);
    Instant since = QueryParams.instantParam(rc, "since");
    Instant until = QueryParams.instantParam(rc, "until");
    int limit = QueryParams.intParam(rc, "limit", 50, 1, 1000);
    String cursor = rc.request().getParam("cursor");
    RunService.runCursor(cursor); // a junk cursor is a 400 before anything is looked up
    jobs.get(BearerAuth.caller(rc), jobId)
        .compose(job -> runs.listForJob(jobId, status, since, until, cursor, limit))
        .onSuccess(page -> {
          JsonArray items = new JsonArray();
          page.items().forEach(r -> items.add(RunJson.toJson(r, page.cold().contains(r.id()))));
          Responses.json(rc, 200, new JsonObject().put("items", items).put("next_cursor", page.nextCursor()));
        })
        .onFailure(err -> Responses.failure(rc, err));
  }
}
