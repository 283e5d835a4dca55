package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit trail: every change of a job is a version (who, when, what changed), readable after the job is
 * deleted; rollback restores an earlier definition as a new version; runs say which version they fired with.
 */
class JobVersionsIT {
  private static final String ADMIN = "versions-admin-0123456789";
  private static final String ALICE = "versions-alice-0123456789";
  private static final String READER = "versions-reader-0123456789";
  private static final String TEAM_A = "versions-team-a-0123456789";
  private static final String UNNAMED = "versions-unnamed-0123456789";
  private static final String FAR = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";
  private static final String NIGHTLY = "{\"type\":\"cron\",\"expression\":\"0 30 2 * * *\",\"timezone\":\"UTC\"}";

  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("versions", conf -> conf.getJsonObject("auth").put("tokens",
      new JsonArray()
          .add(token(ADMIN, "admin").put("name", "ops"))
          .add(token(ALICE, "write").put("name", "alice"))
          .add(token(READER, "read").put("name", "viewer"))
          .add(token(TEAM_A, "write").put("name", "team-a-bot").put("namespaces", new JsonArray().add("team-a")))
          .add(token(UNNAMED, "write"))));

  private static JsonObject token(String token, String scope) {
    return new JsonObject().put("token", token).put("scope", scope);
  }

  private static TestNode as(String token) {
    return NODE.get().as(token);
  }

  private static String job(String id, String schedule, String extra) {
    return "{\"id\":\"" + id + "\",\"schedule\":" + schedule + ",\"task\":{\"type\":\"noop\"}" + extra + "}";
  }

  private static JsonArray versions(String id) throws Exception {
    TestNode.Reply reply = as(ADMIN).get("/api/v1/jobs/" + id + "/versions?limit=1000");
    assertThat(reply.status()).as(reply.body().encode()).isEqualTo(200);
    return reply.body().getJsonArray("items");
  }

  private static List<Long> numbers(JsonArray versions) {
    return versions.stream().map(v -> ((JsonObject) v).getLong("version")).toList();
  }

  @Test
  void create_replace_pause_resume_delete_are_five_versions_readable_after_the_delete() throws Exception {
    assertThat(as(ALICE).post("/api/v1/jobs", job("audited", FAR, "")).status()).isEqualTo(201);
    assertThat(as(ALICE).put("/api/v1/jobs/audited", job("audited", NIGHTLY, ",\"timeout\":\"PT5M\""), "1").status())
        .isEqualTo(200);
    assertThat(as(ALICE).post("/api/v1/jobs/audited/pause", "{}").body().getLong("version")).isEqualTo(3L);
    // pausing a paused job changes nothing, so it records nothing
    assertThat(as(ALICE).post("/api/v1/jobs/audited/pause", "{}").body().getLong("version")).isEqualTo(3L);
    assertThat(as(ALICE).post("/api/v1/jobs/audited/resume", "{}").body().getLong("version")).isEqualTo(4L);
    assertThat(as(ALICE).delete("/api/v1/jobs/audited").status()).isEqualTo(204);
    assertThat(as(ALICE).get("/api/v1/jobs/audited").status()).isEqualTo(404);

    JsonArray all = versions("audited");
    assertThat(numbers(all)).containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(all.stream().map(v -> ((JsonObject) v).getString("change")))
        .containsExactly("delete", "resume", "pause", "replace", "create");
    assertThat(all.stream().map(v -> ((JsonObject) v).getString("changed_by"))).containsOnly("alice");
    JsonObject create = all.getJsonObject(4);
    assertThat(create.getJsonArray("changed_fields")).contains("schedule", "task", "timeout");
    assertThat(create.getJsonObject("spec").getJsonObject("schedule").getString("type")).isEqualTo("at");
    JsonObject replace = all.getJsonObject(3);
    assertThat(replace.getJsonArray("changed_fields")).containsExactly("schedule", "timeout");
    assertThat(replace.getJsonObject("spec").getString("timeout")).isEqualTo("PT5M");
    assertThat(all.getJsonObject(2).getJsonArray("changed_fields")).containsExactly("paused");
    assertThat(all.getJsonObject(2).getBoolean("paused")).isTrue();
    assertThat(all.getJsonObject(1).getBoolean("paused")).isFalse();
    JsonObject delete = all.getJsonObject(0);
    assertThat(delete.getJsonArray("changed_fields")).isEmpty();
    assertThat(delete.getJsonObject("spec").getJsonObject("schedule").getString("expression")).isEqualTo("0 30 2 * * *");
    assertThat(java.time.Instant.parse(delete.getString("changed_at")))
        .isAfterOrEqualTo(java.time.Instant.parse(create.getString("changed_at")));

    // one version by number, and a read token may read them all
    TestNode.Reply two = as(READER).get("/api/v1/jobs/audited/versions/2");
    assertThat(two.status()).isEqualTo(200);
    assertThat(two.body().getString("change")).isEqualTo("replace");
    TestNode.Reply none = as(READER).get("/api/v1/jobs/audited/versions/9");
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.body().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("version");
  }

  @Test
  void versions_page_newest_first_with_the_list_cursor_conventions() throws Exception {
    as(ALICE).post("/api/v1/jobs", job("paged", FAR, ""));
    for (int i = 0; i < 4; i++) {
      as(ALICE).put("/api/v1/jobs/paged", job("paged", FAR, ",\"name\":\"n" + i + "\""), null);
    }
    List<Long> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = as(READER).get("/api/v1/jobs/paged/versions?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).body();
      seen.addAll(numbers(page.getJsonArray("items")));
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactly(5L, 4L, 3L, 2L, 1L);

    TestNode.Reply junk = as(READER).get("/api/v1/jobs/paged/versions?cursor=bm90LW91cnM");
    assertThat(junk.status()).isEqualTo(400);
    assertThat(junk.body().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("cursor");
    assertThat(as(READER).get("/api/v1/jobs/paged/versions?limit=0").status()).isEqualTo(400);
    TestNode.Reply never = as(READER).get("/api/v1/jobs/never-existed/versions");
    assertThat(never.status()).isEqualTo(404);
    assertThat(never.body().getString("error")).isEqualTo("not_found");
    assertThat(never.body().getString("message")).contains("never-existed");
  }

  @Test
  void rollback_restores_the_old_schedule_which_fires_with_the_new_version() throws Exception {
    String every = "{\"type\":\"every\",\"interval\":\"PT1S\"}";
    as(ALICE).post("/api/v1/jobs", job("flip", every, ""));
    await().atMost(Duration.ofSeconds(30)).until(() -> !runsWithVersion("flip", 1).isEmpty());
    String firstRun = runsWithVersion("flip", 1).get(0);
    assertThat(as(READER).get("/api/v1/runs/" + firstRun).body().getLong("job_version")).isEqualTo(1L);

    assertThat(as(ALICE).put("/api/v1/jobs/flip", job("flip", FAR, ""), null).body().getString("next_fire_at"))
        .isEqualTo("2099-01-01T00:00:00Z");
    TestNode.Reply rolled = as(ALICE).post("/api/v1/jobs/flip/rollback", "{\"version\":1}");
    assertThat(rolled.status()).as(rolled.body().encode()).isEqualTo(200);
    assertThat(rolled.body().getLong("version")).isEqualTo(3L);
    assertThat(rolled.body().getJsonObject("schedule").getString("type")).isEqualTo("every");
    // recomputed from now as a PUT of that schedule would, not 2099
    assertThat(java.time.Instant.parse(rolled.body().getString("next_fire_at")))
        .isBefore(java.time.Instant.now().plusSeconds(60));

    JsonObject v3 = versions("flip").getJsonObject(0);
    assertThat(v3.getString("change")).isEqualTo("rollback");
    assertThat(v3.getLong("restored_from")).isEqualTo(1L);
    assertThat(v3.getJsonArray("changed_fields")).containsExactly("schedule");
    assertThat(v3.getString("changed_by")).isEqualTo("alice");

    await().atMost(Duration.ofSeconds(30)).until(() -> !runsWithVersion("flip", 3).isEmpty());
    String restoredRun = runsWithVersion("flip", 3).get(0);
    JsonObject run = as(READER).get("/api/v1/runs/" + restoredRun).body();
    assertThat(run.getLong("job_version")).isEqualTo(3L);
    as(ALICE).delete("/api/v1/jobs/flip");
  }

  private static List<String> runsWithVersion(String jobId, long version) throws Exception {
    JsonArray runs = as(READER).get("/api/v1/jobs/" + jobId + "/runs?limit=1000").body().getJsonArray("items");
    return runs.stream().map(r -> (JsonObject) r).filter(r -> Long.valueOf(version).equals(r.getLong("job_version")))
        .map(r -> r.getString("id")).toList();
  }

  @Test
  void a_manual_run_records_the_current_version_and_run_lists_show_it() throws Exception {
    as(ALICE).post("/api/v1/jobs", job("manual-v", FAR, ""));
    as(ALICE).put("/api/v1/jobs/manual-v", job("manual-v", FAR, ",\"name\":\"second\""), null);
    TestNode.Reply triggered = as(ALICE).post("/api/v1/jobs/manual-v/trigger", "");
    assertThat(triggered.status()).isEqualTo(202);
    assertThat(triggered.body().getLong("job_version")).isEqualTo(2L);
    JsonArray across = as(READER).get("/api/v1/runs?job_id=manual-v").body().getJsonArray("items");
    assertThat(across.getJsonObject(0).getLong("job_version")).isEqualTo(2L);
  }

  @Test
  void a_batch_create_records_version_1_of_each_job() throws Exception {
    String batch = "{\"jobs\":[" + job("batch-v-0", FAR, "") + "," + job("batch-v-1", FAR, "") + ","
        + job("batch-v-2", FAR, "") + "]}";
    assertThat(as(ALICE).post("/api/v1/jobs/batch", batch).status()).isEqualTo(201);
    for (int i = 0; i < 3; i++) {
      JsonArray v = versions("batch-v-" + i);
      assertThat(numbers(v)).containsExactly(1L);
      assertThat(v.getJsonObject(0).getString("change")).isEqualTo("create");
      assertThat(v.getJsonObject(0).getString("changed_by")).isEqualTo("alice");
    }
    // a refused batch (one id taken) records nothing for the others
    String refused = "{\"jobs\":[" + job("batch-v-3", FAR, "") + "," + job("batch-v-0", FAR, "") + "]}";
    assertThat(as(ALICE).post("/api/v1/jobs/batch", refused).status()).isEqualTo(409);
    assertThat(as(READER).get("/api/v1/jobs/batch-v-3/versions").status()).isEqualTo(404);
    assertThat(numbers(versions("batch-v-0"))).containsExactly(1L);
  }

  @Test
  void bad_rollbacks_are_refused_and_change_nothing() throws Exception {
    as(ALICE).post("/api/v1/jobs", job("guarded", FAR, ""));
    as(ALICE).put("/api/v1/jobs/guarded", job("guarded", NIGHTLY, ""), null);
    for (String[] bad : new String[][] {{"{}", "version"}, {"{\"version\":\"1\"}", "version"},
        {"{\"version\":0}", "version"}, {"{\"version\":1.5}", "version"}, {"{\"version\":1,\"to\":2}", "to"}}) {
      TestNode.Reply reply = as(ALICE).post("/api/v1/jobs/guarded/rollback", bad[0]);
      assertThat(reply.status()).as(bad[0]).isEqualTo(400);
      assertThat(reply.body().getString("error")).isEqualTo("invalid_request");
      assertThat(reply.body().getJsonArray("details").getJsonObject(0).getString("field")).as(bad[0]).isEqualTo(bad[1]);
    }
    assertThat(as(ALICE).post("/api/v1/jobs/guarded/rollback", "not json").status()).isEqualTo(400);
    TestNode.Reply unknown = as(ALICE).post("/api/v1/jobs/guarded/rollback", "{\"version\":7}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("version");
    assertThat(as(ALICE).post("/api/v1/jobs/no-such-job/rollback", "{\"version\":1}").status()).isEqualTo(404);
    TestNode.Reply reader = as(READER).post("/api/v1/jobs/guarded/rollback", "{\"version\":1}");
    assertThat(reader.status()).isEqualTo(403);
    assertThat(reader.body().getString("error")).isEqualTo("forbidden");
    // another namespace's job does not exist for a namespaced token, nor do its versions
    assertThat(as(TEAM_A).post("/api/v1/jobs/guarded/rollback", "{\"version\":1}").status()).isEqualTo(404);
    assertThat(as(TEAM_A).get("/api/v1/jobs/guarded/versions").status()).isEqualTo(404);
    assertThat(as(TEAM_A).get("/api/v1/jobs/guarded/versions/1").status()).isEqualTo(404);

    assertThat(numbers(versions("guarded"))).containsExactly(2L, 1L);
    assertThat(as(READER).get("/api/v1/jobs/guarded").body().getJsonObject("schedule").getString("type")).isEqualTo("cron");
  }

  @Test
  void rollback_needs_the_rights_a_put_of_the_restored_spec_needs() throws Exception {
    // version 1 is a shell job (admin only); a writer may not bring it back
    String shell = "{\"id\":\"shell-v\",\"schedule\":" + FAR + ",\"task\":{\"type\":\"shell\",\"command\":[\"true\"]}}";
    assertThat(as(ADMIN).post("/api/v1/jobs", shell).status()).isEqualTo(201);
    assertThat(as(ALICE).put("/api/v1/jobs/shell-v", job("shell-v", FAR, ""), null).status()).isEqualTo(200);
    TestNode.Reply refused = as(ALICE).post("/api/v1/jobs/shell-v/rollback", "{\"version\":1}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().getString("error")).isEqualTo("forbidden_task_kind");
    assertThat(numbers(versions("shell-v"))).containsExactly(2L, 1L);
    TestNode.Reply allowed = as(ADMIN).post("/api/v1/jobs/shell-v/rollback", "{\"version\":1}");
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.body().getJsonObject("task").getString("type")).isEqualTo("shell");
    assertThat(versions("shell-v").getJsonObject(0).getString("changed_by")).isEqualTo("ops");
  }

  @Test
  void rollback_of_a_deleted_job_creates_it_again_with_its_numbers_going_on() throws Exception {
    as(ALICE).post("/api/v1/jobs", job("phoenix", NIGHTLY, ",\"labels\":{\"v\":\"1\"}"));
    as(ALICE).put("/api/v1/jobs/phoenix", job("phoenix", FAR, ",\"labels\":{\"v\":\"2\"}"), null);
    assertThat(as(ALICE).delete("/api/v1/jobs/phoenix").status()).isEqualTo(204);
    TestNode.Reply ofDelete = as(ALICE).post("/api/v1/jobs/phoenix/rollback", "{\"version\":3}");
    assertThat(ofDelete.status()).as("a delete is no definition").isEqualTo(404);

    TestNode.Reply restored = as(ALICE).post("/api/v1/jobs/phoenix/rollback", "{\"version\":1}");
    assertThat(restored.status()).as(restored.body().encode()).isEqualTo(201);
    assertThat(restored.body().getLong("version")).isEqualTo(4L);
    assertThat(restored.body().getJsonObject("labels").getString("v")).isEqualTo("1");
    assertThat(restored.body().getString("next_fire_at")).isNotNull();
    JsonObject v4 = versions("phoenix").getJsonObject(0);
    assertThat(v4.getString("change")).isEqualTo("rollback");
    assertThat(v4.getLong("restored_from")).isEqualTo(1L);
    assertThat(v4.getJsonArray("changed_fields")).containsExactly("labels", "schedule");

    // a plain re-create of a deleted id goes on numbering too
    as(ALICE).delete("/api/v1/jobs/phoenix");
    TestNode.Reply again = as(ALICE).post("/api/v1/jobs", job("phoenix", FAR, ""));
    assertThat(again.body().getLong("version")).isEqualTo(6L);
    assertThat(numbers(versions("phoenix"))).containsExactly(6L, 5L, 4L, 3L, 2L, 1L);
  }

  @Test
  void twenty_concurrent_puts_are_versions_2_to_21_without_gaps_or_duplicates() throws Exception {
    as(ALICE).post("/api/v1/jobs", job("contended", FAR, ""));
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Callable<Integer>> puts = IntStream.range(0, 20).<Callable<Integer>>mapToObj(i -> () ->
          as(ALICE).put("/api/v1/jobs/contended", job("contended", FAR, ",\"name\":\"writer-" + i + "\""), null).status())
          .toList();
      for (Future<Integer> status : pool.invokeAll(puts)) {
        assertThat(status.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    JsonArray all = versions("contended");
    assertThat(numbers(all)).containsExactlyElementsOf(IntStream.rangeClosed(1, 21).mapToObj(i -> (long) (22 - i)).toList());
    assertThat(as(READER).get("/api/v1/jobs/contended").body().getLong("version")).isEqualTo(21L);
    // each replace's diff is against the version right before it: a name change each time
    all.stream().map(v -> (JsonObject) v).filter(v -> v.getString("change").equals("replace"))
        .forEach(v -> assertThat(v.getJsonArray("changed_fields")).containsExactly("name"));
  }

  @Test
  void an_unnamed_token_is_recorded_by_a_hash_prefix_never_the_secret() throws Exception {
    as(UNNAMED).post("/api/v1/jobs", job("unnamed-v", FAR, ""));
    String who = versions("unnamed-v").getJsonObject(0).getString("changed_by");
    assertThat(who).startsWith("token sha256:").hasSize("token sha256:".length() + 12).doesNotContain(UNNAMED);
  }
}
