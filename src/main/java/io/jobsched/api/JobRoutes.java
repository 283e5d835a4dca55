package io.jobsched.api;

import io.jobsched.api.json.RunJson;
import io.jobsched.api.json.StoredJobJson;
import io.jobsched.run.RunStatus;
import io.jobsched.service.ApiException;
import io.jobsched.service.JobService;
import io.jobsched.service.RunService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/jobs...}: translate HTTP to {@link JobService} / {@link RunService} calls and back. */
final class JobRoutes {
  private final JobService jobs;
  private final RunService runs;

  JobRoutes(JobService jobs, RunService runs) {
    this.jobs = jobs;
    this.runs = runs;
  }

  void mount(Router api) {
    api.post("/jobs").handler(this::create);
    api.get("/jobs/:id").handler(this::get);
    api.get("/jobs/:id/runs").handler(this::listRuns);
  }

  private void create(RoutingContext rc) {
    jobs.create(Bodies.object(rc))
        .onSuccess(job -> Responses.json(rc, 201, StoredJobJson.toJson(job)))
        .onFailure(err -> Responses.failure(rc, err));
  }

  private void get(RoutingContext rc) {
    jobs.get(rc.pathParam("id"))
        .onSuccess(job -> Responses.json(rc, 200, StoredJobJson.toJson(job)))
        .onFailure(err -> Responses.failure(rc, err));
  }

  private void listRuns(RoutingContext rc) {
    String jobId = rc.pathParam("id");
    RunStatus status = QueryParams.enumParam(rc, "status", RunStatus.class);
    int limit = QueryParams.intParam(rc, "limit", 50, 1, 1000);
    String cursor = rc.request().getParam("cursor");
    jobs.get(jobId)
        .compose(job -> runs.listForJob(jobId, status, QueryParams.instantParam(rc, "since"),
            QueryParams.instantParam(rc, "until"), cursor, limit))
        .onSuccess(page -> {
          JsonArray items = new JsonArray();
          page.items().forEach(r -> items.add(RunJson.toJson(r)));
          Responses.json(rc, 200, new JsonObject().put("items", items).put("next_cursor", page.nextCursor()));
        })
        .onFailure(err -> Responses.failure(rc, err instanceof IllegalArgumentException
            ? ApiException.badRequest("cursor", "not a cursor returned by this API") : err));
  }
}
