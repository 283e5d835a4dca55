package io.jobsched.history;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves the months that left the hot window to the cold tier, oldest first, one at a time: export the month's
 * partition (still attached: a month without unfinished runs no longer changes, its runs are final), read the
 * files back and match them against the rows exported, detach the partition, check it still has that many
 * rows, then record the month and drop the partition in one transaction. A month detached by a sweep that
 * crashed is exported from the detached table by the next one.
 */
public final class RunArchiver {
  private static final Logger log = LoggerFactory.getLogger(RunArchiver.class);
  /** Advisory lock key: one archiver in the cluster ("jobsched archive"). */
  private static final long LOCK = 0x6a6f6273_61726368L;
  private static final int PAGE = 10_000;
  /** Month partitions of runs, attached or left detached by an interrupted sweep. */
  private static final String MONTH_TABLES = "SELECT c.relname, EXISTS (SELECT 1 FROM pg_inherits i "
      + "WHERE i.inhrelid = c.oid AND i.inhparent = 'runs'::regclass) AS attached FROM pg_class c "
      + "WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace AND c.relname ~ '^runs_[0-9]{4}_[0-9]{2}$'";

  private final Vertx vertx;
  private final Pool pool;
  private final RunArchives archives;
  private final ColdStore cold;
  private final HistoryTiers tiers;
  private final Clock clock;
  private final int fileRows;
  /**
   * One thread for a month's writer from start to finish: DuckDB dropped the rows of an appender that was
   * filled on one thread and closed on another (every file came out empty).
   */
  private final WorkerExecutor writerThread;

  public RunArchiver(Vertx vertx, Pool pool, RunArchives archives, ColdStore cold, HistoryTiers tiers, Clock clock,
                     int fileRows) {
    this.vertx = vertx;
    this.pool = pool;
    this.archives = archives;
    this.cold = cold;
    this.tiers = tiers;
    this.clock = clock;
    this.fileRows = fileRows;
    this.writerThread = vertx.createSharedWorkerExecutor("jobsched-cold-writer", 1);
  }

  /** Archives every expired month; resolves to those archived (none when another node is archiving). */
  public Future<List<YearMonth>> sweep() {
    return pool.getConnection().compose(conn -> conn.query("SELECT pg_try_advisory_lock(" + LOCK + ")").execute()
        .compose(locked -> !locked.iterator().next().getBoolean(0) ? Future.succeededFuture(List.<YearMonth>of())
            : archiveExpired(conn).eventually(() -> conn.query("SELECT pg_advisory_unlock(" + LOCK + ")").execute()))
        .eventually(conn::close));
  }

  private Future<List<YearMonth>> archiveExpired(SqlConnection conn) {
    return conn.query(MONTH_TABLES).execute().compose(rows -> {
      Map<YearMonth, Boolean> attached = new HashMap<>();
      for (Row r : rows) {
        HistoryTiers.monthOf(r.getString(0)).ifPresent(m -> attached.put(m, r.getBoolean(1)));
      }
      Future<List<YearMonth>> chain = Future.succeededFuture(new ArrayList<>());
      for (YearMonth month : tiers.expired(attached.keySet(), clock.instant())) {
        chain = chain.compose(done -> archive(conn, month, attached.get(month)).map(archived -> {
          if (archived) {
            done.add(month);
          }
          return done;
        }));
      }
      return chain;
    });
  }

  private Future<Boolean> archive(SqlConnection conn, YearMonth month, boolean attached) {
    String table = HistoryTiers.partitionOf(month);
    return conn.query("SELECT EXISTS (SELECT 1 FROM " + table + " WHERE finished_at IS NULL)").execute().compose(open -> {
      if (open.iterator().next().getBoolean(0)) {
        log.warn("{} has unfinished runs: it stays in Postgres until they end", table);
        return Future.succeededFuture(false);
      }
      long started = System.nanoTime();
      return export(conn, month, table)
          .compose(written -> verify(month, written))
          .compose(archived -> (attached ? detach(conn, table) : Future.<Void>succeededFuture())
              .compose(v -> conn.query("SELECT count(*) FROM " + table).execute())
              .compose(count -> {
                long rows = count.iterator().next().getLong(0);
                if (rows != archived.rows()) {
                  if (!attached) {
                    return Future.failedFuture(new IllegalStateException("detached " + table + " has " + rows
                        + " rows, " + archived.rows() + " were exported"));
                  }
                  // runs arrived while it was exported: detached now, it no longer changes; export it again
                  log.warn("{} had {} runs after its export of {}: exporting it again", table, rows, archived.rows());
                  return archive(conn, month, false).mapEmpty();
                }
                return conn.begin().compose(tx -> archives.record(conn, archived)
                    .compose(v -> conn.query("DROP TABLE " + table).execute())
                    .compose(v -> tx.commit()))
                    .onSuccess(v -> log.info("{}: {} runs moved to the cold tier ({} files) in {} ms", table,
                        archived.rows(), archived.files().size(), (System.nanoTime() - started) / 1_000_000));
              })
              .map(true));
    });
  }

  private record Written(List<ColdFile> files, RowChecksum checksum) {}

  /** Streams the month's rows (by namespace, bytewise) into its files; one read transaction for the cursor. */
  private Future<Written> export(SqlConnection conn, YearMonth month, String table) {
    return writerThread.executeBlocking(() -> new ColdWriter(cold.dirOf(month), fileRows)).compose(writer -> conn.begin()
        .compose(tx -> conn.prepare("SELECT " + ColdColumns.NAMES + " FROM " + table
                + " ORDER BY namespace COLLATE \"C\", job_id COLLATE \"C\", scheduled_for, attempt, id")
            .compose(ps -> copy(ps.cursor(), writer).eventually(ps::close))
            .eventually(tx::rollback))
        .compose(v -> writerThread.executeBlocking(() -> new Written(writer.finish(), writer.checksum())))
        .eventually(() -> writerThread.executeBlocking(() -> {
          writer.close();
          return null;
        })));
  }

  private Future<Void> copy(Cursor cursor, ColdWriter writer) {
    return cursor.read(PAGE).compose((RowSet<Row> rows) -> writerThread.executeBlocking(() -> {
      List<Object[]> page = new ArrayList<>(rows.size());
      rows.forEach(r -> page.add(ColdColumns.fromPostgres(r)));
      writer.append(page);
      return null;
    })).compose(v -> cursor.hasMore() ? copy(cursor, writer) : cursor.close());
  }

  /** Reads the files back: count and checksum must match the rows exported. Then writes the manifest. */
  private Future<Archived> verify(YearMonth month, Written written) {
    return vertx.executeBlocking(() -> {
      RowChecksum readBack = cold.checksum(month, written.files());
      if (!readBack.value().equals(written.checksum().value())) {
        throw new IllegalStateException("the cold files of " + month + " read back as " + readBack.value()
            + ", exported " + written.checksum().value() + ": the month stays in Postgres");
      }
      Archived archived = new Archived(month, written.files(), written.checksum().rows(), written.checksum().value());
      JsonObject manifest = new JsonObject().put("month", month.toString()).put("rows", archived.rows())
          .put("checksum", archived.checksum()).put("files", ColdFile.toJson(archived.files()));
      Files.writeString(cold.dirOf(month).resolve("manifest.json"), manifest.encodePrettily());
      return archived;
    });
  }

  /** A catalog change only; waits at most lock_timeout for the runs table, else fails and the next sweep retries. */
  private Future<Void> detach(SqlConnection conn, String table) {
    // not CONCURRENTLY: Postgres refuses it while runs has a default partition (the net for fires outside the
    // months created ahead)
    return conn.query("SET lock_timeout = '2s'").execute()
        .compose(v -> conn.query("ALTER TABLE runs DETACH PARTITION " + table).execute())
        .eventually(() -> conn.query("RESET lock_timeout").execute())
        .mapEmpty();
  }
}
