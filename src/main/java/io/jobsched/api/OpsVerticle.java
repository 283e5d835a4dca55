package io.jobsched.api;

import io.jobsched.config.JobschedConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * A node without the api role still answers {@code /health} and {@code /metrics} on {@code http.host:http.port}:
 * a worker's runs are counted on the worker, and a container's health check needs something to ask.
 */
public final class OpsVerticle extends VerticleBase {
  private final JobschedConfig.Http config;
  private final HealthCheck health;
  private final MeterRegistry registry;
  private HttpServer server;

  public OpsVerticle(JobschedConfig.Http config, HealthCheck health, MeterRegistry registry) {
    this.config = config;
    this.health = health;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    Router root = Router.router(vertx);
    health.mount(root);
    MetricsEndpoint.mount(root, registry);
    root.route().handler(rc -> NoRoute.answer(rc, root));
    return vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()))
        .requestHandler(root).listen().onSuccess(s -> server = s);
  }

  public int port() {
    return server.actualPort();
  }
}
