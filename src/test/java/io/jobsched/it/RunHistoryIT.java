package io.jobsched.it;

import io.jobsched.store.Pools;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job's run history over REST: keyset pages newest first (no run missing or repeated across pages),
 * the status/since/until filters, and the job's {@code last_run}. Runs with chosen times, attempts and
 * statuses are written beside the node into its real database; everything is read through the API.
 */
class RunHistoryIT {
  private static final String FAR = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";
  private static final List<String> STATUSES = List.of("SUCCESS", "FAILED", "SKIPPED", "TIMED_OUT");

  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("runhistory", conf -> conf.getJsonObject("cluster").put("enabled", false));

  /** A run as the test wrote it; the order of a history is newest scheduled_for first, then highest attempt. */
  record Written(UUID id, Instant scheduledFor, int attempt, String status, Instant finishedAt) {}

  private static final Comparator<Written> NEWEST_FIRST = Comparator.comparing(Written::scheduledFor)
      .thenComparing(Written::attempt).reversed();

  private static Vertx vertx;
  private static Pool pg;
  /** two days ago, whole seconds: inside the retention, clear of the look-ahead */
  private static final Instant T0 = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
  private static final List<Written> HISTORY = new ArrayList<>();

  @BeforeAll
  static void history() throws Exception {
    vertx = Vertx.vertx();
    pg = Pools.create(vertx, NODE.get().config().postgres());
    createJob("hist");
    // 23 fires a minute apart, statuses in turn; every fifth fire also has a second attempt (same scheduled_for)
    for (int i = 0; i < 23; i++) {
      Instant at = T0.plus(i, ChronoUnit.MINUTES);
      HISTORY.add(insertRun("hist", at, 1, STATUSES.get(i % STATUSES.size()), at.plusSeconds(5)));
      if (i % 5 == 0) {
        HISTORY.add(insertRun("hist", at, 2, "SUCCESS", at.plusSeconds(30)));
      }
    }
    HISTORY.sort(NEWEST_FIRST);
  }

  @AfterAll
  static void close() throws Exception {
    if (vertx != null) {
      await(vertx.close(), 10);
    }
  }

  private static void createJob(String id) throws Exception {
    // resources.class no worker serves, so nothing ever runs the runs written here
    assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"" + id + "\",\"schedule\":" + FAR
        + ",\"resources\":{\"class\":\"ghost\"},\"task\":{\"type\":\"noop\"}}").status()).isEqualTo(201);
  }

  private static Written insertRun(String jobId, Instant scheduledFor, int attempt, String status, Instant finishedAt)
      throws Exception {
    UUID id = UUID.randomUUID();
    await(pg.preparedQuery("INSERT INTO runs (id, job_id, namespace, scheduled_for, attempt, trigger, status, "
            + "resource_class, task_kind, priority, due_at, finished_at) "
            + "VALUES ($1, $2, 'default', $3, $4, $5, $6, 'ghost', 'noop', 500, $3, $7)")
        .execute(Tuple.of(id, jobId, scheduledFor.atOffset(ZoneOffset.UTC), attempt, attempt == 1 ? "schedule" : "retry",
            status, finishedAt == null ? null : finishedAt.atOffset(ZoneOffset.UTC))), 10);
    return new Written(id, scheduledFor, attempt, status, finishedAt);
  }

  /** Follows next_cursor to the end; asserts every page's size and returns the run ids in order. */
  private static List<String> pageThrough(String jobId, String filters, int limit, int expectedPages) throws Exception {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String q = "/api/v1/jobs/" + jobId + "/runs?limit=" + limit + filters + (cursor == null ? "" : "&cursor=" + cursor);
      RawHttp.Answer page = RawHttp.get(NODE.get(), q);
      assertThat(page.status()).as(q + " -> " + page.body()).isEqualTo(200);
      JsonArray items = page.json().getJsonArray("items");
      assertThat(items.size()).isBetween(1, limit);
      items.forEach(r -> ids.add(((JsonObject) r).getString("id")));
      cursor = page.json().getString("next_cursor");
      pages++;
      assertThat(pages).as("pages of " + q).isLessThanOrEqualTo(expectedPages);
    } while (cursor != null);
    assertThat(pages).isEqualTo(expectedPages);
    return ids;
  }

  private static List<String> expected(Predicate<Written> filter) {
    return HISTORY.stream().filter(filter).map(w -> w.id().toString()).toList();
  }

  private static String at(int minute) {
    return T0.plus(minute, ChronoUnit.MINUTES).toString();
  }

  private static int pagesFor(int runs, int limit) {
    return Math.max(1, (runs + limit - 1) / limit);
  }

  @Test
  void paging_returns_every_run_once_newest_first_attempts_of_one_fire_included() throws Exception {
    assertThat(HISTORY).hasSize(28);
    List<String> ids = pageThrough("hist", "", 5, 6);
    assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
    assertThat(ids).containsExactlyElementsOf(expected(w -> true));
    // a limit that divides the history exactly ends without an empty page
    assertThat(pageThrough("hist", "", 7, 4)).containsExactlyElementsOf(expected(w -> true));
    assertThat(pageThrough("hist", "", 1000, 1)).containsExactlyElementsOf(expected(w -> true));
  }

  @Test
  void the_status_filter_pages_through_matching_runs_only() throws Exception {
    for (String status : List.of("FAILED", "SUCCESS", "TIMED_OUT")) {
      List<String> want = expected(w -> w.status().equals(status));
      assertThat(want).isNotEmpty();
      assertThat(pageThrough("hist", "&status=" + status.toLowerCase(), 2, pagesFor(want.size(), 2)))
          .as(status).containsExactlyElementsOf(want);
    }
    RawHttp.Answer none = RawHttp.get(NODE.get(), "/api/v1/jobs/hist/runs?status=CANCELLED");
    assertThat(none.json().getJsonArray("items")).isEmpty();
    assertThat(none.json().getString("next_cursor")).isNull();
  }

  @Test
  void since_is_inclusive_until_exclusive_and_both_combine_with_status_and_the_cursor() throws Exception {
    Instant since = T0.plus(3, ChronoUnit.MINUTES);
    Instant until = T0.plus(13, ChronoUnit.MINUTES);
    Predicate<Written> window = w -> !w.scheduledFor().isBefore(since) && w.scheduledFor().isBefore(until);
    List<String> want = expected(window);
    assertThat(want).hasSize(12); // fires 3..12, second attempts of 5 and 10
    assertThat(pageThrough("hist", "&since=" + at(3) + "&until=" + at(13), 4, 3)).containsExactlyElementsOf(want);

    List<String> successes = expected(window.and(w -> w.status().equals("SUCCESS")));
    assertThat(pageThrough("hist", "&status=SUCCESS&since=" + at(3) + "&until=" + at(13), 1, successes.size()))
        .containsExactlyElementsOf(successes);
    assertThat(pageThrough("hist", "&since=" + at(22), 5, 1)).containsExactlyElementsOf(expected(
        w -> !w.scheduledFor().isBefore(T0.plus(22, ChronoUnit.MINUTES))));
    assertThat(pageThrough("hist", "&until=" + at(1), 5, 1)).containsExactlyElementsOf(expected(
        w -> w.scheduledFor().isBefore(T0.plus(1, ChronoUnit.MINUTES))));
    // an offset other than Z names the same instant
    String sincePlus2 = since.atOffset(ZoneOffset.ofHours(2)).toString().replace("+", "%2B");
    assertThat(pageThrough("hist", "&since=" + sincePlus2 + "&until=" + at(13), 50, 1)).containsExactlyElementsOf(want);
  }

  @Test
  void a_cursor_keeps_its_place_while_newer_runs_arrive() throws Exception {
    createJob("hist-live");
    List<Written> live = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      live.add(insertRun("hist-live", T0.plus(i, ChronoUnit.MINUTES), 1, "SUCCESS", null));
    }
    live.sort(NEWEST_FIRST);
    JsonObject first = RawHttp.get(NODE.get(), "/api/v1/jobs/hist-live/runs?limit=3").json();
    insertRun("hist-live", T0.plus(1, ChronoUnit.HOURS), 1, "SUCCESS", null);
    JsonObject second = RawHttp.get(NODE.get(), "/api/v1/jobs/hist-live/runs?limit=3&cursor="
        + first.getString("next_cursor")).json();
    List<String> seen = new ArrayList<>();
    first.getJsonArray("items").forEach(r -> seen.add(((JsonObject) r).getString("id")));
    second.getJsonArray("items").forEach(r -> seen.add(((JsonObject) r).getString("id")));
    assertThat(seen).containsExactlyElementsOf(live.stream().map(w -> w.id().toString()).toList());
    assertThat(second.getString("next_cursor")).isNull();
  }

  private static JsonObject lastRunIn(JsonArray items, String jobId) {
    return items.stream().map(j -> (JsonObject) j).filter(j -> j.getString("id").equals(jobId)).findFirst()
        .orElseThrow().getJsonObject("last_run");
  }

  @Test
  void last_run_is_null_before_any_run_and_in_every_job_response() throws Exception {
    TestNode.Reply created = NODE.get().post("/api/v1/jobs", "{\"id\":\"lr-none\",\"schedule\":" + FAR
        + ",\"task\":{\"type\":\"noop\"}}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().containsKey("last_run")).isTrue();
    assertThat(created.body().getValue("last_run")).isNull();
    assertThat(NODE.get().get("/api/v1/jobs/lr-none").body().containsKey("last_run")).isTrue();
    assertThat(lastRunIn(NODE.get().get("/api/v1/jobs?limit=1000").body().getJsonArray("items"), "lr-none")).isNull();
  }

  @Test
  void last_run_is_the_newest_run_not_in_the_future_with_its_latest_attempt() throws Exception {
    createJob("lr");
    Instant fire = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
    insertRun("lr", fire.minus(10, ChronoUnit.MINUTES), 1, "SUCCESS", fire.minus(9, ChronoUnit.MINUTES));
    insertRun("lr", fire, 1, "FAILED", fire.plusSeconds(1));
    Written retry = insertRun("lr", fire, 2, "SUCCESS", fire.plusSeconds(3));
    // created ahead of its time (the scheduler's look-ahead): not a last run yet
    insertRun("lr", Instant.now().plus(1, ChronoUnit.HOURS), 1, "PENDING", null);

    JsonObject want = new JsonObject().put("id", retry.id().toString()).put("status", "SUCCESS")
        .put("scheduled_for", fire.toString()).put("finished_at", fire.plusSeconds(3).toString());
    assertThat(NODE.get().get("/api/v1/jobs/lr").body().getJsonObject("last_run")).isEqualTo(want);
    assertThat(lastRunIn(NODE.get().get("/api/v1/jobs?limit=1000").body().getJsonArray("items"), "lr")).isEqualTo(want);
    TestNode.Reply replaced = NODE.get().put("/api/v1/jobs/lr", "{\"schedule\":" + FAR
        + ",\"resources\":{\"class\":\"ghost\"},\"task\":{\"type\":\"noop\"},\"name\":\"renamed\"}", null);
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.body().getJsonObject("last_run")).isEqualTo(want);
    assertThat(NODE.get().post("/api/v1/jobs/lr/pause", "").body().getJsonObject("last_run")).isEqualTo(want);
    // the run history agrees on what the latest past run is
    JsonObject newestPast = NODE.get().get("/api/v1/jobs/lr/runs?until=" + Instant.now() + "&limit=1").body()
        .getJsonArray("items").getJsonObject(0);
    assertThat(newestPast.getString("id")).isEqualTo(want.getString("id"));
    assertThat(newestPast.getString("scheduled_for")).isEqualTo(want.getString("scheduled_for"));
  }

  @Test
  void last_run_follows_a_run_the_cluster_actually_ran() throws Exception {
    assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"lr-real\",\"schedule\":" + FAR
        + ",\"task\":{\"type\":\"noop\"}}").status()).isEqualTo(201);
    String runId = NODE.get().post("/api/v1/jobs/lr-real/trigger", "").body().getString("id");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
      JsonObject last = NODE.get().get("/api/v1/jobs/lr-real").body().getJsonObject("last_run");
      return last != null && runId.equals(last.getString("id")) && "SUCCESS".equals(last.getString("status"))
          && last.getString("finished_at") != null;
    });
    JsonObject run = NODE.get().get("/api/v1/runs/" + runId).body();
    JsonObject last = NODE.get().get("/api/v1/jobs/lr-real").body().getJsonObject("last_run");
    assertThat(last.getString("scheduled_for")).isEqualTo(run.getString("scheduled_for"));
    assertThat(last.getString("finished_at")).isEqualTo(run.getString("finished_at"));
    assertThat(last.fieldNames()).containsExactlyInAnyOrder("id", "status", "scheduled_for", "finished_at");
  }
}
