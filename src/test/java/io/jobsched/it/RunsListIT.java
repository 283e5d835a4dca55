package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/runs}: runs across jobs newest first, keyset-paged without repeats or gaps; a rare filter
 * answers in bounded pages (short or empty, with a cursor) rather than scanning all history; namespace walls.
 */
class RunsListIT {
  private static final String ADMIN = "admin-token-0123456789";
  private static final String TEAM_A = "team-a-reader-0123456789";
  private static final String NEVER = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("runslist", conf -> conf.getJsonObject("auth").put("tokens",
      new JsonArray()
          .add(new JsonObject().put("token", ADMIN).put("scope", "admin"))
          .add(new JsonObject().put("token", TEAM_A).put("scope", "read").put("namespaces", new JsonArray().add("team-a")))));
  private static RunRowsFixture rows;

  @BeforeAll
  static void runs() throws Exception {
    for (String[] job : new String[][] {{"busy", "team-a"}, {"quiet", "team-b"}}) {
      assertThat(NODE.get().as(ADMIN).post("/api/v1/jobs", "{\"id\":\"" + job[0] + "\",\"namespace\":\"" + job[1]
          + "\",\"schedule\":" + NEVER + ",\"task\":{\"type\":\"noop\"}}").status()).isEqualTo(201);
    }
    rows = new RunRowsFixture(NODE.get());
    // busy: 12,000 runs a second apart ending a minute ago, FAILED every 3,000th; quiet: 30 in between
    finished("busy", "team-a", NOW.minusSeconds(60 + 12_000), 12_000, 1, 3000);
    finished("quiet", "team-b", NOW.minusSeconds(60 + 6_000), 30, 7, 0);
  }

  @AfterAll
  static void close() throws Exception {
    rows.close();
  }

  private static void finished(String job, String namespace, Instant first, int n, int everySeconds, int failEvery)
      throws Exception {
    TestNode.await(rows.pg.preparedQuery("INSERT INTO runs (id, job_id, namespace, scheduled_for, attempt, trigger, "
        + "status, worker, token, resource_class, task_kind, priority, due_at, started_at, finished_at, exit_code) "
        + "SELECT jobsched_run_id(t), $1, $2, t, 1, 'schedule', CASE WHEN $5 > 0 AND g % $5 = 0 THEN 'FAILED' "
        + "ELSE 'SUCCESS' END, 'w1', g, 'default', 'noop', 0, t, t, t + interval '5 ms', 0 "
        + "FROM generate_series(1, $3) g, LATERAL (SELECT $4::timestamptz + g * $6 * interval '1 second' AS t) s")
        .execute(Tuple.of(job, namespace, n, first.atOffset(ZoneOffset.UTC), failEvery, everySeconds)), 30);
  }

  private static JsonObject list(String token, String query) throws Exception {
    TestNode.Reply r = NODE.get().as(token).get("/api/v1/runs?" + query);
    assertThat(r.status()).as(query).isEqualTo(200);
    return r.body();
  }

  /** Every item of every page, and the number of pages. */
  private static List<JsonObject> all(String token, String query, int[] pages) throws Exception {
    List<JsonObject> out = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = list(token, query + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
      page.getJsonArray("items").forEach(o -> out.add((JsonObject) o));
      cursor = page.getString("next_cursor");
      pages[0]++;
    } while (cursor != null && pages[0] < 100);
    return out;
  }

  @Test
  void pages_run_newest_first_across_jobs_without_repeats() throws Exception {
    JsonObject first = list(ADMIN, "limit=50");
    JsonArray items = first.getJsonArray("items");
    assertThat(items).hasSize(50);
    assertThat(first.getString("next_cursor")).isNotNull();
    List<String> times = items.stream().map(o -> ((JsonObject) o).getString("scheduled_for")).toList();
    assertThat(times).isSortedAccordingTo(Comparator.reverseOrder());
    JsonObject second = list(ADMIN, "limit=50&cursor=" + first.getString("next_cursor"));
    assertThat(second.getJsonArray("items").getJsonObject(0).getString("scheduled_for"))
        .isLessThanOrEqualTo(times.get(49));
    HashSet<String> ids = new HashSet<>();
    items.forEach(o -> ids.add(((JsonObject) o).getString("id")));
    second.getJsonArray("items").forEach(o -> assertThat(ids.add(((JsonObject) o).getString("id"))).isTrue());

    int[] pages = {0};
    List<JsonObject> quiet = all(ADMIN, "job_id=quiet&limit=1000", pages);
    assertThat(quiet).hasSize(30).allSatisfy(r -> assertThat(r.getString("job_id")).isEqualTo("quiet"));
    String since = NOW.minusSeconds(60 + 100).toString();
    assertThat(all(ADMIN, "job_id=busy&limit=1000&since=" + since, new int[1])).as("fires from since to a minute ago, both ends").hasSize(101);
  }

  @Test
  void a_rare_status_is_found_in_bounded_pages_and_namespaces_are_walled() throws Exception {
    int[] pages = {0};
    List<JsonObject> failed = all(ADMIN, "status=FAILED&limit=50", pages);
    assertThat(failed).hasSize(4).allSatisfy(r -> assertThat(r.getString("status")).isEqualTo("FAILED"));
    assertThat(pages[0]).as("12,030 runs looked at 5,000 a page").isGreaterThanOrEqualTo(3);

    List<JsonObject> teamA = all(TEAM_A, "limit=1000&job_id=quiet", new int[1]);
    assertThat(teamA).as("quiet is team-b's").isEmpty();
    JsonObject walled = list(TEAM_A, "namespace=team-b");
    assertThat(walled.getJsonArray("items")).isEmpty();
    assertThat(walled.getString("next_cursor")).isNull();
    assertThat(list(TEAM_A, "limit=100").getJsonArray("items"))
        .allSatisfy(o -> assertThat(((JsonObject) o).getString("namespace")).isEqualTo("team-a"));

    assertThat(NODE.get().as(ADMIN).get("/api/v1/runs?cursor=garbage").status()).isEqualTo(400);
    assertThat(NODE.get().as(ADMIN).get("/api/v1/runs?status=NOPE").status()).isEqualTo(400);
    assertThat(NODE.get().as(ADMIN).get("/api/v1/runs?limit=0").status()).isEqualTo(400);
  }
}
