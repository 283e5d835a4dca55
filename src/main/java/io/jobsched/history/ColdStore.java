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
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
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
    select(paths(month, files), "", List.of(), row -> sum.add(ColdColumns.canonical(row)));
    return sum;
  }

  /** A run of an archived month by id. */
  public Optional<Object[]> byId(YearMonth month, List<ColdFile> files, UUID id) throws SQLException {
    List<Object[]> found = new ArrayList<>();
    select(paths(month, files), " WHERE id = ?::UUID", List.of(id.toString()), found::add);
    return found.stream().findFirst();
  }

  /**
   * A job's runs in archived months, newest first in the history order (scheduled_for, attempt, id), strictly
   * after {@code after}; filters as the hot query's ({@code status} null: any).
   */
  public List<Object[]> jobPage(List<Archived> months, String jobId, String status, Instant since, Instant until,
                                RunCursor after, int limit) throws SQLException {
    StringBuilder where = new StringBuilder(" WHERE job_id = ?");
    List<Object> params = new ArrayList<>(List.of(jobId));
    if (status != null) {
      where.append(" AND status = ?");
      params.add(status);
    }
    // times as epoch microseconds: exact, and free of any session time zone
    if (since != null) {
      where.append(" AND epoch_us(scheduled_for) >= ?");
      params.add(ColdColumns.epochMicros(since));
    }
    if (until != null) {
      where.append(" AND epoch_us(scheduled_for) < ?");
      params.add(ColdColumns.epochMicros(until));
    }
    if (after != null) {
      long at = ColdColumns.epochMicros(after.scheduledFor());
      where.append(" AND (epoch_us(scheduled_for) < ? OR epoch_us(scheduled_for) = ? "
          + "AND (attempt < ? OR attempt = ? AND id < ?::UUID))");
      params.addAll(List.of(at, at, after.attempt(), after.attempt(), after.id().toString()));
    }
    where.append(" ORDER BY scheduled_for DESC, attempt DESC, id DESC LIMIT ").append(limit);
    List<Object[]> out = new ArrayList<>();
    select(months.stream().flatMap(m -> paths(m.month(), m.files()).stream()).toList(), where.toString(), params,
        out::add);
    return out;
  }

  private List<Path> paths(YearMonth month, List<ColdFile> files) {
    return files.stream().map(f -> dirOf(month).resolve(f.name())).toList();
  }

  /**
   * Each row of these files that {@code where} (with its parameters, in order) selects; none without files (a
   * month that had no runs: read_parquet refuses an empty list).
   */
  private void select(List<Path> files, String where, List<Object> params, Consumer<Object[]> each)
      throws SQLException {
    if (files.isEmpty()) {
      return;
    }
    String sql = "SELECT " + ColdColumns.NAMES + " FROM read_parquet(["
        + files.stream().map(p -> "'" + quoted(p) + "'").collect(Collectors.joining(", ")) + "])" + where;
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) {
        ps.setObject(i + 1, params.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          each.accept(ColdColumns.fromDuck(rs));
        }
      }
    }
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
