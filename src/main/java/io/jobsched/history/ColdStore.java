package io.jobsched.history;

import io.jobsched.store.RunCursor;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the cold tier: Parquet files queried in place by DuckDB (in memory, nothing loaded ahead). Blocking:
 * call from worker threads; each call uses its own DuckDB connection, so calls may run in parallel.
 */
public final class ColdStore implements AutoCloseable {
  private final Path root;
  private DuckDBConnection duck;

  /** {@code root}: {@code history.cold_dir}. DuckDB starts on first use: most nodes never read cold history. */
  public ColdStore(Path root) {
    this.root = root.toAbsolutePath();
  }

  /** A connection of its own for one call. */
  private synchronized Connection connect() throws SQLException {
    if (duck == null) {
      duck = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
    }
    return duck.duplicate();
  }

  /** Where a month's files and manifest live: {@code <cold_dir>/runs/YYYY-MM}. */
  public Path dirOf(YearMonth month) {
    return root.resolve("runs").resolve(month.toString());
  }

  /** Count and checksum of the rows in these files, read back from disk. */
  RowChecksum checksum(YearMonth month, List<ColdFile> files) throws SQLException {
    RowChecksum sum = new RowChecksum();
    if (files.isEmpty()) {
      return sum; // a month without runs: nothing written, nothing to read
    }
    try (Connection c = connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT " + ColdColumns.NAMES + " FROM " + source(month, files))) {
      while (rs.next()) {
        sum.add(ColdColumns.canonical(ColdColumns.fromDuck(rs)));
      }
    }
    return sum;
  }

  /** A run of an archived month by id. */
  public Optional<Object[]> byId(YearMonth month, List<ColdFile> files, UUID id) throws SQLException {
    if (files.isEmpty()) {
      return Optional.empty();
    }
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT " + ColdColumns.NAMES + " FROM " + source(month, files) + " WHERE id = ?::UUID")) {
      ps.setString(1, id.toString());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(ColdColumns.fromDuck(rs)) : Optional.empty();
      }
    }
  }

  /**
   * A job's runs in archived months, newest first in the history order (scheduled_for, attempt, id), strictly
   * after {@code after}; filters as the hot query's ({@code status} null: any).
   */
  public List<Object[]> jobPage(List<Archived> months, String jobId, String status, Instant since, Instant until,
                                RunCursor after, int limit) throws SQLException {
    months = months.stream().filter(m -> !m.files().isEmpty()).toList();
    if (months.isEmpty()) {
      return List.of();
    }
    StringBuilder sql = new StringBuilder("SELECT " + ColdColumns.NAMES + " FROM read_parquet(["
        + months.stream().flatMap(m -> m.files().stream().map(f -> "'" + quoted(dirOf(m.month()).resolve(f.name())) + "'"))
            .collect(Collectors.joining(", ")) + "]) WHERE job_id = ?");
    List<Object> params = new ArrayList<>(List.of(jobId));
    if (status != null) {
      sql.append(" AND status = ?");
      params.add(status);
    }
    if (since != null) {
      sql.append(" AND epoch_us(scheduled_for) >= ?");
      params.add(micros(since));
    }
    if (until != null) {
      sql.append(" AND epoch_us(scheduled_for) < ?");
      params.add(micros(until));
    }
    if (after != null) {
      // times as epoch microseconds: exact, and free of any session time zone
      long at = micros(after.scheduledFor());
      sql.append(" AND (epoch_us(scheduled_for) < ? OR epoch_us(scheduled_for) = ? "
          + "AND (attempt < ? OR attempt = ? AND id < ?::UUID))");
      params.addAll(List.of(at, at, after.attempt(), after.attempt(), after.id().toString()));
    }
    sql.append(" ORDER BY scheduled_for DESC, attempt DESC, id DESC LIMIT ").append(limit);
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < params.size(); i++) {
        ps.setObject(i + 1, params.get(i));
      }
      List<Object[]> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(ColdColumns.fromDuck(rs));
        }
      }
      return out;
    }
  }

  private static long micros(Instant t) {
    return java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  private String source(YearMonth month, List<ColdFile> files) {
    return "read_parquet([" + files.stream().map(f -> "'" + quoted(dirOf(month).resolve(f.name())) + "'")
        .collect(Collectors.joining(", ")) + "])";
  }

  /** A path inside a DuckDB string literal (the paths are ours; quotes are doubled all the same). */
  static String quoted(Path p) {
    return p.toAbsolutePath().toString().replace("'", "''");
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Override
  public synchronized void close() throws SQLException {
    if (duck != null) {
      duck.close();
    }
  }
}
