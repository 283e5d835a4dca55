package io.jobsched.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies the append-only SQL files listed in {@code db/migration/migrations.list}, in order, each once.
 * All of it runs in one transaction holding a Postgres advisory lock, so nodes starting together apply
 * each migration exactly once and none starts on a half-migrated schema.
 */
public final class Migrator {
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);
  /** Arbitrary constant shared by every node: "jobsched" migrations. */
  static final long MIGRATION_LOCK = 0x6a6f627363686564L;

  private final Pool pool;

  public Migrator(Pool pool) {
    this.pool = pool;
  }

  /** Resolves to the names of the migrations this call applied (empty when the schema was current). */
  public Future<List<String>> migrate() {
    List<String> all = listMigrations();
    return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")").execute()
        // IF NOT EXISTS answers a NOTICE on every start; it is expected, keep it out of the log
        .compose(x -> conn.query("SET LOCAL client_min_messages = warning").execute())
        .compose(x -> conn.query("CREATE TABLE IF NOT EXISTS schema_migrations ("
            + "version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())").execute())
        .compose(x -> conn.query("SELECT version FROM schema_migrations").execute())
        .compose(rows -> {
          Set<String> applied = new HashSet<>();
          for (Row r : rows) {
            applied.add(r.getString(0));
          }
          List<String> todo = all.stream().filter(m -> !applied.contains(m)).toList();
          Future<Void> chain = Future.succeededFuture();
          for (String m : todo) {
            chain = chain.compose(v -> apply(conn, m));
          }
          return chain.map(v -> todo);
        }))
        .onSuccess(applied -> {
          if (!applied.isEmpty()) {
            log.info("applied migrations {}", applied);
          }
        });
  }

  private Future<Void> apply(SqlConnection conn, String name) {
    return conn.query(read("/db/migration/" + name)).execute()
        .compose(x -> conn.preparedQuery("INSERT INTO schema_migrations (version) VALUES ($1)")
            .execute(Tuple.of(name)))
        .recover(err -> Future.failedFuture(new IllegalStateException("migration " + name + " failed: " + err.getMessage(), err)))
        .mapEmpty();
  }

  static List<String> listMigrations() {
    List<String> names = new ArrayList<>();
    for (String line : read("/db/migration/migrations.list").split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.trim());
      }
    }
    return names;
  }

  private static String read(String path) {
    try (InputStream in = Migrator.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }
}
