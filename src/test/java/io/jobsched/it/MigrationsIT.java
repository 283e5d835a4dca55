package io.jobsched.it;

import io.jobsched.config.JobschedConfig;
import io.jobsched.store.Migrator;
import io.jobsched.store.Pools;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Flyway migrations: checksums guard applied files, and databases of the earlier migrator are handed over. */
class MigrationsIT {
  private static final Path SOURCE = Path.of("src/main/resources/db/migration");

  private Vertx vertx;
  private JobschedConfig.Postgres pg;
  private Pool pool;

  /** The migrations the application ships, in version order. */
  static List<String> shipped() throws IOException {
    try (Stream<Path> files = Files.list(SOURCE)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.+\\.sql")).sorted().toList();
    }
  }

  @BeforeEach
  void freshDatabase() throws Exception {
    String db = TestNode.newIsolation("migrations");
    pg = JobschedConfig.from(TestNode.isolatedConfig(db)).postgres();
    TestNode.createDatabase(pg, db);
    vertx = Vertx.vertx();
    pool = Pools.create(vertx, pg);
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close(), 10);
  }

  @Test
  void an_applied_migration_that_was_edited_stops_start_up_naming_the_file() throws Exception {
    assertThat(await(new Migrator(vertx, pg).migrate(), 60)).containsExactlyElementsOf(shipped());
    Path edited = Files.createTempDirectory("jobsched-migrations");
    for (String name : shipped()) {
      Files.copy(SOURCE.resolve(name), edited.resolve(name));
    }
    Files.writeString(edited.resolve("V002__run_cancel_requests.sql"),
        Files.readString(SOURCE.resolve("V002__run_cancel_requests.sql")).replace("timestamptz", "timestamp with time zone"));

    Throwable failure = catchThrowable(() -> await(new Migrator(vertx, pg, "filesystem:" + edited).migrate(), 60));
    try (Stream<Path> files = Files.list(edited)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(edited);

    assertThat(failure).isInstanceOf(ExecutionException.class);
    assertThat(failure.getCause()).hasMessageContaining("V002__run_cancel_requests.sql")
        .hasMessageContaining("checksum").hasMessageContaining(pg.database());
    assertThat(await(new Migrator(vertx, pg).migrate(), 60)).as("the shipped files still validate").isEmpty();
  }

  @Test
  void a_database_of_the_earlier_migrator_is_handed_over_at_its_highest_version() throws Exception {
    List<String> all = shipped();
    assertThat(all).hasSizeGreaterThanOrEqualTo(3);
    legacyMigrate(all.subList(0, 2));

    assertThat(await(new Migrator(vertx, pg).migrate(), 60)).as("only what the old migrator had not applied")
        .containsExactlyElementsOf(all.subList(2, all.size()));

    List<String> history = new ArrayList<>();
    for (Row r : await(pool.query("SELECT type, version FROM flyway_schema_history ORDER BY installed_rank").execute(), 10)) {
      history.add(r.getString(0) + " " + r.getString(1));
    }
    assertThat(history.get(0)).isEqualTo("BASELINE 002");
    assertThat(history).hasSize(1 + all.size() - 2);
    assertThat(await(new Migrator(vertx, pg).migrate(), 60)).as("a restart applies nothing").isEmpty();
  }

  @Test
  void a_database_the_earlier_migrator_completed_needs_nothing() throws Exception {
    legacyMigrate(shipped());
    assertThat(await(new Migrator(vertx, pg).migrate(), 60)).isEmpty();
    long jobs = await(pool.query("SELECT count(*) FROM jobs").execute(), 10).iterator().next().getLong(0);
    assertThat(jobs).isZero();
  }

  /** What the hand-written migrator of earlier versions did: run each file, record its name in schema_migrations. */
  private void legacyMigrate(List<String> names) throws Exception {
    await(pool.query("CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
        .execute(), 10);
    for (String name : names) {
      await(pool.query(Files.readString(SOURCE.resolve(name))).execute(), 30);
      await(pool.preparedQuery("INSERT INTO schema_migrations (version) VALUES ($1)").execute(io.vertx.sqlclient.Tuple.of(name)), 10);
    }
  }
}
