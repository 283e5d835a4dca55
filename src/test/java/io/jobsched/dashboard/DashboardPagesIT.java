package io.jobsched.dashboard;

import com.microsoft.playwright.Page;
import io.jobsched.it.NodeExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static io.jobsched.dashboard.DashboardSession.ADMIN;
import static io.jobsched.dashboard.DashboardSession.WAIT;
import static io.jobsched.dashboard.DashboardSession.cronJob;
import static io.jobsched.dashboard.DashboardSession.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each main page renders with data and without errors, the Overview draws its charts, and the dashboard's own
 * parsing (Server-Sent Events, cron in words, highlight fragments) holds in the browser. With
 * {@code -Ddashboard.screenshots=true} the README's screenshots are written to docs/screenshots/.
 */
class DashboardPagesIT {
  @RegisterExtension
  static final NodeExtension NODE = DashboardSession.nodeWithTokens("dashboardpages");
  @RegisterExtension
  static final DashboardSession DASH = new DashboardSession(NODE);

  @Test
  void every_main_page_renders_with_data() throws Exception {
    boolean shoot = Boolean.getBoolean("dashboard.screenshots");
    DASH.createJobs(cronJob("nightly-report", "0 30 2 * * *", "Europe/Berlin"), cronJob("hourly-sync", "0 15 * * * *", "UTC"),
        cronJob("weekday-digest", "0 9 * * 1-5", "America/New_York"),
        DashboardSession.shellOnce("printer", "for i in 1 2 3 4 5; do echo line-$i; done; echo done"));
    for (int i = 0; i < 3; i++) {
      assertThat(DASH.admin().post("/api/v1/jobs/nightly-report/trigger", "").status()).isEqualTo(202);
    }
    assertThat(DASH.admin().post("/api/v1/jobs/hourly-sync/pause", "").status()).isEqualTo(200);
    String runId = DASH.firstRun("printer");
    await().atMost(WAIT).until(() -> DASH.searchHits("line") == 5);

    List<String[]> pages = List.of(
        new String[] {"overview", "#/", "[data-test=chart-status] canvas"},
        new String[] {"jobs", "#/jobs", "[data-test=strip] .cell"},
        new String[] {"job", "#/jobs/nightly-report", "[data-test=page-job] [data-test=run-row]"},
        new String[] {"runs", "#/runs", "[data-test=runs-table]"},
        new String[] {"run", "#/runs/" + runId, "[data-test=log] .line"},
        new String[] {"logs", "#/logs?q=line", "[data-test=hits]"});
    Page page = DASH.open(ADMIN, "#/");
    for (String[] p : pages) {
      page.navigate(DASH.base() + p[1]);
      expect(page.locator(p[2]).first()).isVisible();
      if (shoot) {
        Path file = Paths.get("docs/screenshots", p[0] + ".png");
        Files.createDirectories(file.getParent());
        // the log of the run page and the history of the job page are below the fold: the whole page
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(p[0].equals("run") || p[0].equals("job")));
        assertThat(Files.size(file)).as(file + " stays small for the README").isLessThan(300 * 1024);
      }
    }
  }

  /** The charts of the last hour from {@code GET /api/v1/overview}: the runs just made are counted in them. */
  @Test
  void the_overview_draws_runs_by_status_and_lateness_for_the_last_hour() throws Exception {
    DASH.createJobs(cronJob("overview-noop", "0 0 1 1 *", "UTC"));
    for (int i = 0; i < 3; i++) {
      assertThat(DASH.admin().post("/api/v1/jobs/overview-noop/trigger", "").status()).isEqualTo(202);
    }
    await().atMost(WAIT).until(() -> DASH.admin().get("/api/v1/overview").body().getJsonArray("minutes").stream()
        .mapToInt(m -> ((JsonObject) m).getInteger("started")).sum() >= 3);
    Page page = DASH.open(ADMIN, "#/");
    expect(page.locator("[data-test=overview-charts]")).isVisible();
    expect(page.locator("[data-test=chart-status] canvas")).hasCount(1);
    expect(page.locator("[data-test=chart-lateness] canvas")).hasCount(1);
    expect(page.locator("[data-test=chart-status] .u-legend")).containsText("FAILED");
    expect(page.locator("[data-test=chart-lateness] .u-legend")).containsText("p99");
    assertThat(Integer.parseInt(page.locator("[data-test=started-hour]").textContent())).isGreaterThanOrEqualTo(3);
    expect(page.locator("[data-test=workers]")).containsText("default");
  }

  @Test
  void the_client_modules_parse_event_streams_schedules_and_highlights() {
    Page page = DASH.open(ADMIN, "#/jobs");
    expect(page.locator("[data-test=page-jobs]")).isVisible();
    Object events = page.evaluate("async () => { const { SseParser } = await import('/js/sse.js'); const out = [];"
        + " const comments = []; const p = new SseParser(e => out.push(e), c => comments.push(c));"
        + " p.feed(': hello\\r\\n\\r\\nid: 7\\r\\ndata: {\"a\":'); p.feed('1}\\r\\n\\r'); p.feed('\\nevent: end\\ndata: x\\ndata: y\\n\\n');"
        + " p.feed('data:no-space\\n\\n'); return JSON.stringify({ out, comments, last: p.lastEventId }); }");
    JsonObject parsed = new JsonObject((String) events);
    assertThat(parsed.getJsonArray("comments")).containsExactly("hello");
    JsonArray out = parsed.getJsonArray("out");
    assertThat(out).hasSize(3);
    assertThat(out.getJsonObject(0).getString("id")).isEqualTo("7");
    assertThat(out.getJsonObject(0).getString("data")).isEqualTo("{\"a\":1}");
    assertThat(out.getJsonObject(0).getString("event")).isEqualTo("message");
    assertThat(out.getJsonObject(1).getString("event")).isEqualTo("end");
    assertThat(out.getJsonObject(1).getString("data")).isEqualTo("x\ny");
    assertThat(out.getJsonObject(1).getString("id")).as("the last id carries on").isEqualTo("7");
    assertThat(out.getJsonObject(2).getString("data")).isEqualTo("no-space");

    Object words = page.evaluate("async () => { const f = await import('/js/format.js'); return JSON.stringify(["
        + " f.cronWords('0 30 2 * * *'), f.cronWords('*/5 * * * *'), f.cronWords('0 9 * * 1-5'), f.cronWords('0 0 1 * *'),"
        + " f.cronWords('*/10 * * * * *'), f.cronWords('0 0 1 1 *'), f.isoDuration('PT1H30M'),"
        + " f.highlightParts('a <em>b</em> <c> <em>d</em>')]); }");
    JsonArray w = new JsonArray((String) words);
    assertThat(w.getString(0)).isEqualTo("daily at 02:30");
    assertThat(w.getString(1)).isEqualTo("every 5 minutes");
    assertThat(w.getString(2)).isEqualTo("weekdays at 09:00");
    assertThat(w.getString(3)).isEqualTo("on day 1 of every month at 00:00");
    assertThat(w.getString(4)).isEqualTo("every 10 seconds");
    assertThat(w.getValue(5)).as("read raw").isNull();
    assertThat(w.getString(6)).isEqualTo("1 hour 30 minutes");
    assertThat(w.getJsonArray(7).encode()).isEqualTo("[{\"text\":\"a \",\"hit\":false},{\"text\":\"b\",\"hit\":true},"
        + "{\"text\":\" <c> \",\"hit\":false},{\"text\":\"d\",\"hit\":true}]");
  }

  /** A run whose job had notify rules shows each notification: event, target, delivery status and attempts. */
  @Test
  void the_run_page_shows_the_runs_notifications() throws Exception {
    // an address nobody consumes: the delivery fails and is retried, which the table shows as it happens
    DASH.createJobs(new JsonObject().put("id", "notified").put("schedule", new JsonObject().put("type", "once"))
        .put("task", new JsonObject().put("type", "noop"))
        .put("notify", new JsonArray().add(new JsonObject().put("on", new JsonArray().add("success"))
            .put("eventbus", new JsonObject().put("address", "nobody.listens.here")))));
    String runId = DASH.firstRun("notified");
    await().atMost(WAIT).until(() -> DASH.admin().get("/api/v1/runs/" + runId).body().containsKey("notifications"));
    Page page = DASH.open(ADMIN, "#/runs/" + runId);
    expect(page.locator("[data-test=run-notifications] tbody tr")).hasCount(1);
    expect(page.locator("[data-test=run-notifications] tbody tr")).containsText("nobody.listens.here");
    expect(page.locator("[data-test=run-notifications] tbody tr")).containsText("success");
  }
}
