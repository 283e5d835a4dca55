package io.jobsched.store;

import io.jobsched.config.JobschedConfig;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Builds the Postgres pool from config. */
public final class Pools {
  private Pools() {
  }

  public static PgConnectOptions connectOptions(JobschedConfig.Postgres pg) {
    return new PgConnectOptions()
        .setHost(pg.host())
        .setPort(pg.port())
        .setDatabase(pg.database())
        .setUser(pg.user())
        .setPassword(pg.password())
        .setCachePreparedStatements(true)
        .setPipeliningLimit(64)
        .setReconnectAttempts(2)
        .setReconnectInterval(500);
  }

  public static Pool create(Vertx vertx, JobschedConfig.Postgres pg) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(pg.poolSize()).setMaxWaitQueueSize(10_000).setName("jobsched-pg"))
        .with(new io.vertx.core.net.NetClientOptions().setConnectTimeout(5_000))
        .connectingTo(connectOptions(pg))
        .using(vertx)
        .build();
  }
}
