package io.jobsched;

import io.jobsched.config.JobschedConfig;
import io.jobsched.logs.EsLogStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Start-up checks of the three services: a node that cannot reach one fails at once with a message that
 * names the service, where it looked, and how to start it. Also warns when Redis is configured in a way
 * that can lose queued runs.
 */
final class Preflight {
  private static final Logger log = LoggerFactory.getLogger(Preflight.class);
  private static final long TIMEOUT_MS = 5_000;
  private static final String HOW = "; start the local services with scripts/services.sh up";

  private Preflight() {
  }

  static Future<Void> check(JobschedConfig cfg, Pool pg, Redis redis, EsLogStore es) {
    JobschedConfig.Postgres p = cfg.postgres();
    Future<Void> pgOk = pg.query("SELECT 1").execute().<Void>mapEmpty()
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(err -> fail("PostgreSQL", p.host() + ":" + p.port() + "/" + p.database() + " as " + p.user(), err));
    Future<Void> redisOk = redis.send(Request.cmd(Command.PING)).<Void>mapEmpty()
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(err -> fail("Redis", cfg.redis().where(), err))
        .onSuccess(v -> warnAboutRedisConfig(redis));
    Future<Void> esOk = es.ping().<Void>mapEmpty()
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(err -> fail("Elasticsearch", cfg.elasticsearch().url(), err));
    return Future.all(pgOk, redisOk, esOk).mapEmpty();
  }

  private static Future<Void> fail(String service, String where, Throwable err) {
    return Future.failedFuture(new IllegalStateException(
        "cannot reach " + service + " at " + where + " (" + err.getMessage() + ")" + HOW, err));
  }

  /** A queue must never evict and should survive a restart; managed Redis may refuse CONFIG, which is fine. */
  private static void warnAboutRedisConfig(Redis redis) {
    redis.send(Request.cmd(Command.CONFIG).arg("GET").arg("maxmemory-policy"))
        .onSuccess(r -> warnUnless(r, "maxmemory-policy", "noeviction"));
    redis.send(Request.cmd(Command.CONFIG).arg("GET").arg("appendonly"))
        .onSuccess(r -> warnUnless(r, "appendonly", "yes"));
  }

  /** CONFIG GET answers a map on RESP3 and a [key, value] array on RESP2. */
  private static void warnUnless(Response reply, String key, String expected) {
    Response value = reply == null ? null : reply.isMap() ? reply.get(key) : reply.size() > 1 ? reply.get(1) : null;
    String actual = value == null ? null : value.toString();
    if (actual != null && !expected.equals(actual)) {
      log.warn("Redis {} is '{}', expected '{}': queued runs may be lost (the reaper will rebuild them from "
          + "Postgres, late)", key, actual, expected);
    }
  }
}
