package io.jobsched.it;

import io.jobsched.history.ColdStore;
import io.jobsched.history.HistoryTiers;
import io.jobsched.history.RunArchiver;
import io.jobsched.history.RunArchives;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.waitAtMost;

/**
 * Months past history.hot_months leave Postgres for Parquet files, and their runs keep answering by id and in
 * their job's history, saying "tier": "cold"; a month with an unfinished run stays.
 */
class ColdTierIT {
  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";

  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("coldtier",
      conf -> conf.getJsonObject("node").put("roles", new JsonArray().add("api")));

  private static RunRowsFixture rows;
  private static ColdStore cold;
  private static RunArchiver archiver;

  @BeforeAll
  static void connect() {
    rows = new RunRowsFixture(NODE.get());
    cold = new ColdStore(Path.of(NODE.get().config().history().coldDir()));
    // the default hot window (13 months) at a fixed instant: 2024 is cold, the current month hot
    archiver = new RunArchiver(NODE.get().node().vertx(), rows.pg, new RunArchives(rows.pg), cold,
        new HistoryTiers(13), Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC), 100);
  }

  @AfterAll
  static void close() throws Exception {
    rows.close();
    cold.close();
  }

  /** {@code n} finished runs of the job, one a minute from {@code first} (every third FAILED, with a context). */
  private static void finished(String jobId, String firstText, int n) throws Exception {
    OffsetDateTime first = Instant.parse(firstText).atOffset(ZoneOffset.UTC);
    await(rows.pg.preparedQuery("SELECT jobsched_ensure_run_partition($1::timestamptz)").execute(Tuple.of(first)), 30);
    await(rows.pg.preparedQuery("INSERT INTO runs (id, job_id, namespace, scheduled_for, attempt, trigger, status, "
        + "reason, worker, token, resource_class, task_kind, priority, due_at, started_at, finished_at, exit_code, error, "
        + "context) SELECT jobsched_run_id(t), $1, 'default', t, 1, 'schedule', "
        + "CASE WHEN g % 3 = 0 THEN 'FAILED' ELSE 'SUCCESS' END, NULL, 'w1', g, 'default', 'noop', 0, t, "
        + "t + interval '3 ms', t + interval '40 ms', CASE WHEN g % 3 = 0 THEN 2 ELSE 0 END, "
        + "CASE WHEN g % 3 = 0 THEN 'boom ' || g END, CASE WHEN g % 3 = 0 THEN jsonb_build_object('n', g) END "
        + "FROM generate_series(0, $3 - 1) g, LATERAL (SELECT $2::timestamptz + g * interval '1 minute' AS t) s")
        .execute(Tuple.of(jobId, first, n)), 30);
  }

  /** The job's whole history through the API, page by page. */
  private static List<JsonObject> history(String jobId) throws Exception {
    List<JsonObject> all = new ArrayList<>();
    String cursor = null;
    do {
      TestNode.Reply page = NODE.get().get("/api/v1/jobs/" + jobId + "/runs?limit=40"
          + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(page.status()).isEqualTo(200);
      page.body().getJsonArray("items").forEach(o -> all.add((JsonObject) o));
      cursor = page.body().getString("next_cursor");
    } while (cursor != null);
    return all;
  }

  private static boolean exists(String table) throws Exception {
    Row r = await(rows.pg.preparedQuery("SELECT to_regclass($1) IS NOT NULL").execute(Tuple.of(table)), 10)
        .iterator().next();
    return r.getBoolean(0);
  }

  @Test
  void expired_months_move_to_parquet_and_keep_answering_by_id_and_in_the_jobs_history() throws Exception {
    assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"nightly\",\"schedule\":" + NEVER
        + ",\"task\":{\"type\":\"noop\"}}").status()).isEqualTo(201);
    finished("nightly", "2024-03-31T22:00:00Z", 150);  // across March and April
    finished("nightly", "2024-04-10T00:00:00Z", 60);
    finished("nightly", Instant.now().minusSeconds(3600).toString(), 10); // hot
    finished("nightly", "2024-05-02T00:00:00Z", 5);
    rows.pending("nightly", 1, Instant.parse("2024-05-20T00:00:00Z")); // May has an unfinished run
    List<JsonObject> before = history("nightly");
    assertThat(before).hasSize(226);

    assertThat(await(archiver.sweep(), 120)).containsExactly(YearMonth.of(2024, 3), YearMonth.of(2024, 4));

    assertThat(exists("runs_2024_03")).isFalse();
    assertThat(exists("runs_2024_04")).isFalse();
    assertThat(exists("runs_2024_05")).as("a month with an unfinished run stays hot").isTrue();
    assertThat(rows.count("SELECT count(*) FROM runs WHERE scheduled_for < '2024-05-01'")).isZero();
    assertThat(rows.count("SELECT sum(rows) FROM run_archives WHERE month < '2024-05-01'")).isEqualTo(120 + 60 + 30);
    Path march = cold.dirOf(YearMonth.of(2024, 3));
    assertThat(new JsonObject(Files.readString(march.resolve("manifest.json"))).getLong("rows")).isEqualTo(120);
    assertThat(march.resolve("part-0001.parquet")).exists(); // 120 rows, at most 100 a file

    List<JsonObject> after = history("nightly");
    assertThat(after).hasSize(before.size());
    for (int i = 0; i < before.size(); i++) {
      JsonObject expected = before.get(i).copy();
      if (expected.getString("scheduled_for").compareTo("2024-05") < 0) {
        expected.put("tier", "cold");
      }
      assertThat(after.get(i)).as("history item %d", i).isEqualTo(expected);
    }
    for (JsonObject run : List.of(before.get(0), before.get(100), before.get(225))) {
      TestNode.Reply one = NODE.get().get("/api/v1/runs/" + run.getString("id"));
      assertThat(one.status()).isEqualTo(200);
      assertThat(one.body()).isEqualTo(after.stream().filter(r -> r.getString("id").equals(run.getString("id")))
          .findFirst().orElseThrow());
    }
    assertThat(NODE.get().get("/api/v1/jobs/nightly/runs?until=2024-04-01T00:00:00Z&status=FAILED").body()
        .getJsonArray("items")).hasSize(40).allSatisfy(o -> assertThat(((JsonObject) o).getString("tier")).isEqualTo("cold"));

    assertThat(await(archiver.sweep(), 60)).as("nothing left to archive").isEmpty();
  }

  @Test
  void a_month_left_detached_by_an_interrupted_sweep_is_archived_by_the_next() throws Exception {
    assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"weekly\",\"schedule\":" + NEVER
        + ",\"task\":{\"type\":\"noop\"}}").status()).isEqualTo(201);
    finished("weekly", "2024-08-01T00:00:00Z", 30);
    String id = history("weekly").get(0).getString("id");
    await(rows.pg.query("ALTER TABLE runs DETACH PARTITION runs_2024_08").execute(), 30);
    assertThat(rows.count("SELECT count(*) FROM runs WHERE scheduled_for >= '2024-08-01' AND scheduled_for < "
        + "'2024-09-01'")).as("detached: out of runs").isZero();
    // a run by id is read from its month's table, which a detach leaves in place until the archive drops it
    TestNode.Reply detached = NODE.get().get("/api/v1/runs/" + id);
    assertThat(detached.status()).isEqualTo(200);
    assertThat(detached.body().getString("tier")).isNull();

    await(rows.pg.query("SELECT jobsched_ensure_run_partition('2024-09-15')").execute(), 30); // a month without runs
    assertThat(await(archiver.sweep(), 120)).contains(YearMonth.of(2024, 8), YearMonth.of(2024, 9));
    assertThat(exists("runs_2024_08")).isFalse();
    TestNode.Reply coldRun = NODE.get().get("/api/v1/runs/" + id);
    assertThat(coldRun.status()).isEqualTo(200);
    assertThat(coldRun.body().getString("tier")).isEqualTo("cold");
    assertThat(history("weekly")).hasSize(30);
    assertThat(exists("runs_2024_09")).isFalse();
    assertThat(rows.count("SELECT rows FROM run_archives WHERE month = '2024-09-01'")).isZero();

    // the month's files out of reach (a cold_dir this node does not share): a clear 503, not a 500 or a 404
    Path august = cold.dirOf(YearMonth.of(2024, 8));
    Path away = august.resolveSibling("moved-away");
    Files.move(august, away);
    try {
      TestNode.Reply lost = NODE.get().get("/api/v1/runs/" + id);
      assertThat(lost.status()).isEqualTo(503);
      assertThat(lost.body().getString("error")).isEqualTo("unavailable");
      assertThat(lost.body().getString("message")).contains("cold tier");
    } finally {
      Files.move(away, august);
    }
    assertThat(NODE.get().get("/api/v1/runs/" + id).status()).isEqualTo(200);
  }

  @Test
  void runs_that_land_in_a_month_while_it_is_exported_are_archived_with_it() throws Exception {
    assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"late\",\"schedule\":" + NEVER
        + ",\"task\":{\"type\":\"noop\"}}").status()).isEqualTo(201);
    finished("late", "2024-10-01T00:00:00Z", 50);
    SqlConnection writer = await(rows.pg.getConnection(), 10);
    try {
      // a writer in the month, not yet committed: the export reads without its runs, the detach waits for it
      await(writer.query("BEGIN").execute(), 10);
      await(writer.query("INSERT INTO runs (id, job_id, namespace, scheduled_for, attempt, trigger, status, "
          + "resource_class, task_kind, priority, due_at, started_at, finished_at) SELECT jobsched_run_id(t), 'late', "
          + "'default', t, 1, 'schedule', 'SUCCESS', 'default', 'noop', 0, t, t, t FROM generate_series(1, 5) g, "
          + "LATERAL (SELECT timestamptz '2024-10-20T00:00:00Z' + g * interval '1 minute' AS t) s").execute(), 10);
      Future<List<YearMonth>> sweep = archiver.sweep();
      waitAtMost(Duration.ofSeconds(30)).until(() -> rows.count("SELECT count(*) FROM pg_stat_activity "
          + "WHERE wait_event_type = 'Lock' AND query = 'ALTER TABLE runs DETACH PARTITION runs_2024_10'") == 1);
      // exported (50 runs), the detach waiting: the 5 commit
      await(writer.query("COMMIT").execute(), 10);
      assertThat(await(sweep, 60)).contains(YearMonth.of(2024, 10));
    } finally {
      writer.close();
    }
    assertThat(rows.count("SELECT rows FROM run_archives WHERE month = '2024-10-01'")).as("exported again").isEqualTo(55);
    assertThat(exists("runs_2024_10")).isFalse();
    assertThat(history("late")).hasSize(55).allSatisfy(r -> assertThat(r.getString("tier")).isEqualTo("cold"));
  }
}
