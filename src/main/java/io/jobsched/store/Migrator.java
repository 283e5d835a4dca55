package io.jobsched.store;

import io.jobsched.config.JobschedConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Applies the versioned SQL files in {@code db/migration} ({@code V<n>__<what>.sql}) with Flyway, at start-up,
 * on a worker thread over a JDBC connection of its own (never the event loop, never the node's pool).
 *
 * <ul>
 *   <li>Each migration is applied once, in version order, and recorded with its checksum in
 *   {@code flyway_schema_history}. Nodes starting together serialise on a Postgres advisory lock, so each
 *   migration is applied by exactly one of them and none starts on a half-migrated schema.</li>
 *   <li>Migrations are append-only: a file changed after it was applied (or removed) stops start-up with an
 *   error naming the file. Add a new migration instead.</li>
 *   <li>A database migrated by the hand-written migrator of earlier versions (table {@code schema_migrations},
 *   no checksums) is handed over: Flyway records a baseline at the highest version that table lists and
 *   applies only what is newer.</li>
 * </ul>
 */
public final class Migrator {
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);
  /** Taken by every node for the whole migration; the same key the earlier migrator locked, so old and new
   * nodes starting together also take turns. */
  static final long MIGRATION_LOCK = 0x6a6f627363686564L;
  /** Where the application's migrations live. */
  public static final String LOCATION = "classpath:db/migration";
  private static final String LEGACY_TABLE = "schema_migrations";
  private static final Pattern LEGACY_VERSION = Pattern.compile("^V(\\d+)__");

  private final Vertx vertx;
  private final JobschedConfig.Postgres pg;
  private final String location;

  public Migrator(Vertx vertx, JobschedConfig.Postgres pg) {
    this(vertx, pg, LOCATION);
  }

  /** Migrations from another Flyway location, e.g. {@code filesystem:/some/dir} (tests). */
  public Migrator(Vertx vertx, JobschedConfig.Postgres pg, String location) {
    this.vertx = vertx;
    this.pg = pg;
    this.location = location;
  }

  /** Resolves to the file names of the migrations this call applied (empty when the schema was current). */
  public Future<List<String>> migrate() {
    return vertx.executeBlocking(this::migrateNow, false)
        .onSuccess(applied -> {
          if (!applied.isEmpty()) {
            log.info("applied migrations {}", applied);
          }
        });
  }

  private List<String> migrateNow() throws SQLException {
    PGSimpleDataSource ds = dataSource();
    try (Connection lock = ds.getConnection()) {
      try (Statement st = lock.createStatement()) {
        st.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
      }
      FluentConfiguration conf = Flyway.configure(Migrator.class.getClassLoader())
          .dataSource(ds)
          .locations(location)
          .placeholderReplacement(false)   // SQL is run as written; `${` means nothing to us
          .cleanDisabled(true);
      legacyVersion(lock).ifPresent(v -> {
        log.info("handing the schema over from {} to Flyway: baseline at version {}", LEGACY_TABLE, v);
        conf.baselineOnMigrate(true).baselineVersion(v)
            .baselineDescription("applied before Flyway (" + LEGACY_TABLE + ")");
      });
      try {
        return conf.load().migrate().migrations.stream().map(Migrator::fileName).toList();
      } catch (FlywayValidateException e) {
        throw new IllegalStateException(describe(conf, e), e);
      }
      // closing the connection releases the advisory lock
    }
  }

  private PGSimpleDataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {pg.host()});
    ds.setPortNumbers(new int[] {pg.port()});
    ds.setDatabaseName(pg.database());
    ds.setUser(pg.user());
    if (pg.password() != null && !pg.password().isEmpty()) {
      ds.setPassword(pg.password());
    }
    ds.setApplicationName("jobsched-migrate");
    ds.setConnectTimeout(10);
    return ds;
  }

  /**
   * The highest version the earlier migrator recorded, when the database has its table and no Flyway history
   * yet; empty otherwise (a fresh database, or one Flyway already manages).
   */
  private static Optional<String> legacyVersion(Connection conn) throws SQLException {
    try (Statement st = conn.createStatement();
         ResultSet rs = st.executeQuery("SELECT to_regclass('flyway_schema_history') IS NULL"
             + " AND to_regclass('" + LEGACY_TABLE + "') IS NOT NULL")) {
      if (!rs.next() || !rs.getBoolean(1)) {
        return Optional.empty();
      }
    }
    String best = null;
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT version FROM " + LEGACY_TABLE)) {
      while (rs.next()) {
        Matcher m = LEGACY_VERSION.matcher(rs.getString(1));
        if (m.find() && (best == null || new java.math.BigInteger(m.group(1)).compareTo(new java.math.BigInteger(best)) > 0)) {
          best = m.group(1);
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** Names the offending migration files, so the message says which file to restore. */
  private String describe(FluentConfiguration conf, FlywayValidateException e) {
    List<String> problems = new ArrayList<>();
    try {
      ValidateResult result = Flyway.configure(Migrator.class.getClassLoader()).configuration(conf)
          .ignoreMigrationPatterns("*:pending", "*:future").load().validateWithResult();
      for (ValidateOutput out : result.invalidMigrations) {
        String name = out.filepath == null || out.filepath.isBlank()
            ? "V" + out.version + "__" + out.description.replace(' ', '_') + ".sql"
            : Path.of(out.filepath).getFileName().toString();
        problems.add(name + ": " + (out.errorDetails == null ? "invalid" : firstLine(out.errorDetails.errorMessage)));
      }
    } catch (RuntimeException again) {
      e.addSuppressed(again);
    }
    String which = problems.isEmpty() ? firstLine(e.getMessage()) : problems.stream().collect(Collectors.joining("; "));
    return "schema migrations in " + location + " do not match database " + pg.database() + ": " + which
        + ". Applied migrations are append-only: restore the file as it was applied and add a new migration for the change";
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.strip().lines().findFirst().orElse("");
  }

  private static String fileName(MigrateOutput m) {
    if (m.filepath != null && !m.filepath.isBlank()) {
      return Path.of(m.filepath).getFileName().toString();
    }
    return "V" + m.version + "__" + m.description.replace(' ', '_') + ".sql";
  }
}
