package io.jobsched.it;

import io.jobsched.Node;
import io.jobsched.config.JobschedConfig;
import io.jobsched.store.Migrator;
import io.jobsched.store.Pools;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Start-up: unreachable services fail fast and say which; concurrent migrations apply once. */
class StartupIT {
  private static Throwable startFailure(JsonObject conf) throws Exception {
    conf.getJsonObject("cluster").put("enabled", false);
    Instant t0 = Instant.now();
    Throwable failure = catchThrowable(() -> await(Node.start(JobschedConfig.from(conf)), 60));
    assertThat(Duration.between(t0, Instant.now())).as("fails fast").isLessThan(Duration.ofSeconds(20));
    return failure instanceof ExecutionException e ? e.getCause() : failure;
  }

  @Test
  void an_unreachable_redis_is_named_with_how_to_start_it() throws Exception {
    JsonObject conf = TestNode.isolatedConfig(TestNode.newIsolation("noredis"));
    conf.getJsonObject("redis").put("url", "redis://127.0.0.1:1");
    TestNode.createDatabase(JobschedConfig.from(conf).postgres(), conf.getJsonObject("postgres").getString("database"));
    assertThat(startFailure(conf)).hasMessageContaining("cannot reach Redis at redis://127.0.0.1:1")
        .hasMessageContaining("scripts/services.sh up");
  }

  @Test
  void an_unreachable_postgres_is_named() throws Exception {
    JsonObject conf = TestNode.isolatedConfig(TestNode.newIsolation("nopg"));
    conf.getJsonObject("postgres").put("port", 1);
    assertThat(startFailure(conf)).hasMessageContaining("cannot reach PostgreSQL at 127.0.0.1:1");
  }

  @Test
  void an_unreachable_elasticsearch_is_named() throws Exception {
    JsonObject conf = TestNode.isolatedConfig(TestNode.newIsolation("noes"));
    conf.getJsonObject("elasticsearch").put("url", "http://127.0.0.1:1");
    TestNode.createDatabase(JobschedConfig.from(conf).postgres(), conf.getJsonObject("postgres").getString("database"));
    assertThat(startFailure(conf)).hasMessageContaining("cannot reach Elasticsearch at http://127.0.0.1:1");
  }

  @Test
  void two_nodes_migrating_at_once_apply_each_migration_exactly_once() throws Exception {
    String db = TestNode.newIsolation("migrate");
    JobschedConfig cfg = JobschedConfig.from(TestNode.isolatedConfig(db));
    TestNode.createDatabase(cfg.postgres(), db);
    Vertx vertx = Vertx.vertx();
    try {
      Future<List<String>> first = new Migrator(vertx, cfg.postgres()).migrate();
      Future<List<String>> second = new Migrator(vertx, cfg.postgres()).migrate();
      await(Future.all(first, second), 60);
      List<String> applied = new java.util.ArrayList<>(first.result());
      applied.addAll(second.result());
      List<String> all = MigrationsIT.shipped();
      assertThat(all).startsWith("V001__jobs_and_runs.sql");
      assertThat(applied).as("each migration applied by exactly one of the two").containsExactlyElementsOf(all);
      assertThat(await(new Migrator(vertx, cfg.postgres()).migrate(), 30)).as("a restart applies nothing").isEmpty();
      Pool a = Pools.create(vertx, cfg.postgres());
      long rows = await(a.query("SELECT count(*) FROM flyway_schema_history WHERE success").execute(), 10)
          .iterator().next().getLong(0);
      assertThat(rows).isEqualTo(all.size());
    } finally {
      await(vertx.close(), 10);
    }
  }
}
