package io.jobsched.history;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code run_archives} table: which months are cold, and their files. */
public final class RunArchives {
  private static final String COLUMNS = "month, files, rows, checksum";

  private final Pool pool;

  public RunArchives(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<Archived>> month(YearMonth month) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM run_archives WHERE month = $1")
        .execute(Tuple.of(month.atDay(1)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(from(rows.iterator().next())));
  }

  /** Archived months overlapping [since, until) (null: unbounded), newest first. */
  public Future<List<Archived>> overlapping(YearMonth since, YearMonth until) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM run_archives WHERE ($1::date IS NULL OR month >= $1) "
            + "AND ($2::date IS NULL OR month <= $2) ORDER BY month DESC")
        .execute(Tuple.of(since == null ? null : since.atDay(1), until == null ? null : until.atDay(1)))
        .map(rows -> {
          List<Archived> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(from(r)));
          return out;
        });
  }

  /** The newest archived month, if any: history older than its end may be cold. */
  public Future<Optional<YearMonth>> newest() {
    return pool.query("SELECT max(month) FROM run_archives").execute().map(rows -> {
      LocalDate d = rows.iterator().next().getLocalDate(0);
      return Optional.ofNullable(d == null ? null : YearMonth.from(d));
    });
  }

  /** Records a verified month; with the partition's drop, in the caller's transaction. */
  Future<Void> record(SqlClient tx, Archived a) {
    return tx.preparedQuery("INSERT INTO run_archives (month, files, rows, checksum) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(a.month().atDay(1), ColdFile.toJson(a.files()), a.rows(), a.checksum()))
        .mapEmpty();
  }

  private static Archived from(Row r) {
    return new Archived(YearMonth.from(r.getLocalDate("month")), ColdFile.fromJson((JsonArray) r.getValue("files")),
        r.getLong("rows"), r.getString("checksum"));
  }
}
