package io.jobsched.api;

import io.jobsched.config.JobschedConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;

import java.util.List;

/** Serves the REST API under {@code /api/v1}, {@code /health}, {@code /metrics} and the dashboard. Only wiring. */
public final class ApiVerticle extends VerticleBase {
  private final JobschedConfig.Http config;
  private final JobRoutes jobRoutes;
  private final RunRoutes runRoutes;
  private final WorkerRoutes workerRoutes;
  private final LogRoutes logRoutes;
  private final RunListRoutes runListRoutes;
  private final OverviewRoutes overviewRoutes;
  private final OpenApiRoutes openApiRoutes = new OpenApiRoutes();
  private final MeterRegistry registry;
  private final HealthCheck health;
  private final BearerAuth auth;
  private HttpServer server;
  /** The routers as built by start, kept so {@link #routes} can list them: the root's paths, and the API's under /api/v1. */
  private Router rootRouter;
  private Router apiRouter;

  public ApiVerticle(JobschedConfig.Http config, JobschedConfig.Auth auth, ApiServices services) {
    this.config = config;
    this.auth = new BearerAuth(auth);
    this.jobRoutes = new JobRoutes(services.jobs(), services.runs(), services.trigger());
    this.runRoutes = new RunRoutes(services.runs(), services.workers(), java.time.Clock.systemUTC());
    this.workerRoutes = new WorkerRoutes(services.workers(), java.time.Clock.systemUTC());
    this.logRoutes = new LogRoutes(services.es());
    this.runListRoutes = new RunListRoutes(new io.jobsched.store.RunsAcross(services.pg()));
    this.overviewRoutes = new OverviewRoutes(services.overview());
    this.registry = services.metrics().registry();
    this.health = new HealthCheck(services.vertx(), services.pg(), services.redis(), services.es());
  }

  @Override
  public Future<?> start() {
    Router root = Router.router(vertx);
    // a backend that hangs must not hang the client: answered 503 unavailable by the failure handler below
    root.route().handler(TimeoutHandler.create(config.requestTimeoutMs(), 503));
    Router api = Router.router(vertx);
    api.route().handler(auth::handle);
    api.route().handler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()));
    jobRoutes.mount(api);
    runRoutes.mount(api);
    workerRoutes.mount(api);
    WhoAmIRoutes.mount(api);
    logRoutes.mount(api);
    runListRoutes.mount(api);
    overviewRoutes.mount(api);
    openApiRoutes.mount(api);
    api.route().handler(rc -> NoRoute.answer(rc, api));
    root.route("/api/v1/*").subRouter(api);
    health.mount(root);
    MetricsEndpoint.mount(root, registry);
    new DashboardRoutes().mount(root);
    root.route().handler(rc -> NoRoute.answer(rc, root));
    root.route().failureHandler(rc -> {
      if (rc.statusCode() == 503 && rc.failure() == null) {
        Responses.unavailable(rc, "no answer within " + config.requestTimeoutMs()
            + " ms (a backend service is slow or unavailable); retry after " + Outages.RETRY_AFTER_SECONDS + " s");
      } else if (rc.statusCode() == 413) {
        Responses.error(rc, 413, "payload_too_large", "request body exceeds " + config.bodyLimitBytes() + " bytes",
            List.of());
      } else if (rc.failure() != null) {
        Responses.failure(rc, rc.failure());
      } else {
        Responses.error(rc, rc.statusCode(), "http_" + rc.statusCode(), "request failed", List.of());
      }
    });
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host()).setPort(config.port())
        .setMaxHeaderSize(16 * 1024)
        .setCompressionSupported(true);
    this.rootRouter = root;
    this.apiRouter = api;
    return openApiRoutes.load(vertx)
        .compose(v -> vertx.createHttpServer(options).requestHandler(root).listen())
        .onSuccess(s -> server = s);
  }

  /**
   * Every route as {@code "METHOD /path"} with the API's prefix ({@code /api/v1/jobs/:id}), for the test that keeps
   * the OpenAPI document and the router in step. Catch-alls (auth, body, the dashboard's files, the 404s) have
   * no method and are left out.
   */
  public List<String> routes() {
    List<String> out = new java.util.ArrayList<>();
    addRoutes(out, rootRouter, "");
    addRoutes(out, apiRouter, "/api/v1");
    return out;
  }

  private static void addRoutes(List<String> out, Router router, String prefix) {
    for (io.vertx.ext.web.Route route : router.getRoutes()) {
      if (route.methods() != null && route.getPath() != null) {
        route.methods().forEach(m -> out.add(m.name() + " " + prefix + route.getPath()));
      }
    }
  }

  /** The port actually bound (differs from config when config asks for port 0). */
  public int port() {
    return server.actualPort();
  }
}
