package io.jobsched.dashboard;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.jobsched.it.NodeExtension;
import io.jobsched.it.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser against a real node with tokens configured: jobs created through the API are
 * listed with their next fire, Run now shows the new run, pause shows the job paused, a run's lines arrive live,
 * a log search highlights the hit and links to the run, a read token sees no write button, and no page logs a
 * CSP violation or any other error. With {@code -Ddashboard.screenshots=true} it also writes a screenshot of each
 * main page to docs/screenshots/. A failing test leaves a screenshot in target/playwright/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
  private static final String ADMIN = "dashboard-admin-0123456789";
  private static final String READER = "dashboard-read-0123456789";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("dashboard", conf -> conf.getJsonObject("auth").put("tokens",
      new JsonArray()
          .add(new JsonObject().put("token", ADMIN).put("scope", "admin").put("name", "ops"))
          .add(new JsonObject().put("token", READER).put("scope", "read").put("name", "viewer"))));

  private static DashboardBrowser browser;
  private static DashboardBrowser.Tab tab;

  /** On failure: a screenshot of the page as it was, under target/playwright/. */
  @RegisterExtension
  static final AfterTestExecutionCallback SCREENSHOT_ON_FAILURE = context -> {
    if (context.getExecutionException().isPresent() && tab != null) {
      Path file = Paths.get("target/playwright", DashboardIT.class.getSimpleName() + "-"
          + context.getRequiredTestMethod().getName() + ".png");
      Files.createDirectories(file.getParent());
      tab.page().screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
      System.err.println("dashboard: screenshot of the failed page: " + file.toAbsolutePath() + "; errors: " + tab.errors());
    }
  };

  @BeforeAll
  static void startBrowser() {
    browser = new DashboardBrowser();
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  /** Every page of every test: no CSP violation, no uncaught error, no console error but the API answers the UI handles. */
  @AfterEach
  void noErrorsInThePage() {
    if (tab != null) {
      List<String> errors = tab.errors().stream()
          // the browser logs failed fetches itself: 401 before a token is given, 404 of an endpoint a node lacks
          .filter(e -> !e.startsWith("Failed to load resource: the server responded with a status of 401")
              && !(e.startsWith("Failed to load resource: the server responded with a status of 404") && e.contains("/api/v1/overview")))
          .toList();
      tab = null;
      assertThat(errors).as("console errors and CSP violations").isEmpty();
    }
  }

  private static TestNode admin() {
    return NODE.get().as(ADMIN);
  }

  private static String base() {
    return "http://127.0.0.1:" + NODE.get().node().httpPort() + "/";
  }

  private static LocatorAssertions expect(Locator locator) {
    return PlaywrightAssertions.assertThat(locator);
  }

  private static Page open(String token, String hash) {
    tab = browser.open(token);
    tab.page().setDefaultTimeout(WAIT.toMillis());
    PlaywrightAssertions.setDefaultAssertionTimeout(WAIT.toMillis());
    tab.page().navigate(base() + hash);
    return tab.page();
  }

  private static void createJobs(String... bodies) throws Exception {
    JsonArray jobs = new JsonArray();
    for (String b : bodies) {
      jobs.add(new JsonObject(b));
    }
    TestNode.Reply reply = admin().post("/api/v1/jobs/batch", new JsonObject().put("jobs", jobs).encode());
    assertThat(reply.status()).as(reply.body().encode()).isEqualTo(201);
  }

  private static String cronJob(String id, String expression, String zone) {
    return new JsonObject().put("id", id).put("name", "Report " + id).put("labels", new JsonObject().put("team", "billing"))
        .put("schedule", new JsonObject().put("type", "cron").put("expression", expression).put("timezone", zone))
        .put("task", new JsonObject().put("type", "noop")).encode();
  }

  private static Locator row(Page page, String jobId) {
    return page.locator("[data-test=job-row][data-job='" + jobId + "']");
  }

  @Test
  @Order(1)
  void the_token_form_then_jobs_created_through_the_api_are_listed_with_their_next_fire() throws Exception {
    createJobs(cronJob("nightly-report", "0 30 2 * * *", "Europe/Berlin"), cronJob("hourly-sync", "0 15 * * * *", "UTC"));
    Page page = open(null, "#/jobs");
    Response index = page.waitForResponse(r -> r.url().equals(base()), () -> page.reload());
    assertThat(index.headers().get("content-security-policy")).contains("script-src 'self'").contains("style-src 'self'")
        .contains("frame-ancestors 'none'");

    page.locator("[data-test=token-input]").fill(ADMIN);
    page.locator("[data-test=token-save]").click();
    expect(page.locator("[data-test=who]")).containsText("ops · admin");
    Locator nightly = row(page, "nightly-report");
    expect(nightly).containsText("daily at 02:30");
    expect(nightly).containsText("0 30 2 * * *");
    expect(nightly).containsText("Europe/Berlin");
    expect(nightly.locator("[data-test=next-fire]")).containsText(Pattern.compile("\\d{4}-\\d\\d-\\d\\d 0[01]:30:00 UTC"));
    expect(nightly.locator("[data-test=next-fire]")).containsText("in ");
    expect(row(page, "hourly-sync").locator("[data-test=next-fire]")).containsText(":15:00 UTC");

    page.locator("input[name=q]").fill("sync");
    page.locator("[data-test=apply]").click();
    expect(page.locator("[data-test=job-row]")).hasCount(1);
    expect(row(page, "hourly-sync")).isVisible();
  }

  @Test
  @Order(2)
  void run_now_shows_the_new_run_and_pause_shows_the_job_paused() throws Exception {
    createJobs(new JsonObject().put("id", "manual-export").put("schedule", new JsonObject().put("type", "at")
        .put("at", "2099-01-01T00:00:00Z")).put("task", new JsonObject().put("type", "noop")).encode());
    Page page = open(ADMIN, "#/jobs/manual-export");
    expect(page.locator("[data-test=no-runs]")).isVisible();
    page.locator("[data-test=run-now]").click();
    expect(page.locator("[data-test=notice]")).containsText("Run ");
    Locator run = page.locator("[data-test=run-row]");
    expect(run).hasCount(1);
    expect(run.first()).hasAttribute("data-status", "SUCCESS");
    expect(page.locator("[data-test=strip] .cell, [data-test=run-row]").first()).isVisible();

    page.navigate(base() + "#/jobs?q=manual-export");
    Locator row = row(page, "manual-export");
    expect(row.locator("[data-test=strip] .s-success")).hasCount(1);
    row.locator("[data-test=pause]").click();
    expect(row.locator("[data-test=paused]")).isVisible();
    expect(row.locator("[data-test=resume]")).isVisible();
    assertThat(admin().get("/api/v1/jobs/manual-export").body().getBoolean("paused")).isTrue();
  }

  @Test
  @Order(3)
  void a_runs_lines_arrive_live_and_a_log_search_highlights_the_hit_linking_to_the_run() throws Exception {
    createJobs(new JsonObject().put("id", "printer").put("schedule", new JsonObject().put("type", "once"))
        .put("task", new JsonObject().put("type", "shell").put("command", new JsonArray().add("/bin/sh").add("-c")
            .add("for i in 1 2 3 4 5 6 7 8; do echo line-$i; sleep 1; done; echo done quokka"))).encode());
    String runId = await().atMost(WAIT).until(() -> admin().get("/api/v1/jobs/printer/runs").body()
        .getJsonArray("items"), items -> items.size() == 1).getJsonObject(0).getString("id");

    Page page = open(ADMIN, "#/runs/" + runId);
    Locator log = page.locator("[data-test=log]");
    expect(log).containsText("line-1");
    assertThat(log.textContent()).as("line-1 came while the task still printed, not with the rest at its end")
        .doesNotContain("done quokka");
    // follow off, then on: the tail goes on after the last line seen (Last-Event-ID), nothing twice
    page.locator("[data-test=follow]").uncheck();
    expect(page.locator("[data-test=log-state]")).hasText("paused");
    com.microsoft.playwright.Request resumed = page.waitForRequest(r -> r.url().endsWith("/logs/follow")
        && r.headers().containsKey("last-event-id"), () -> page.locator("[data-test=follow]").check());
    assertThat(Long.parseLong(resumed.headers().get("last-event-id"))).isPositive();
    assertThat(resumed.headers().get("authorization")).isEqualTo("Bearer " + ADMIN);
    expect(log).containsText("line-5");
    expect(log).containsText("done quokka");
    expect(log.locator(".line")).hasCount(9);
    expect(page.locator("[data-test=log-state]")).hasText("ended");
    expect(page.locator("[data-test=page-run]")).hasAttribute("data-status", "SUCCESS");
    JsonObject run = admin().get("/api/v1/runs/" + runId).body();
    expect(page.locator("[data-test=run-details]")).containsText(run.getString("worker"));

    await().atMost(WAIT).until(() -> admin().get("/api/v1/logs/search?q=quokka").body().getJsonArray("items").size() == 1);
    page.navigate(base() + "#/logs");
    page.locator("input[name=q]").fill("quokka");
    page.locator("[data-test=search]").click();
    expect(page.locator("[data-test=hit]")).hasText("quokka");
    page.locator("[data-test=hit-run]").click();
    page.waitForURL("**/#/runs/" + runId);
    expect(page.locator("[data-test=page-run]")).isVisible();
  }

  @Test
  @Order(4)
  void a_read_token_sees_the_jobs_but_no_write_button() throws Exception {
    createJobs(cronJob("read-only-view", "*/5 * * * *", "UTC"));
    Page page = open(READER, "#/jobs?q=read-only-view");
    expect(page.locator("[data-test=who]")).containsText("viewer · read");
    expect(row(page, "read-only-view")).isVisible();
    for (String button : List.of("run-now", "pause", "resume", "delete", "cancel")) {
      expect(page.locator("[data-test=" + button + "]")).hasCount(0);
    }
    page.locator("[data-test=job-link]").click();
    expect(page.locator("[data-test=next-fires] li")).hasCount(5);
    expect(page.locator("[data-test=run-now]")).hasCount(0);
    expect(page.locator("[data-test=delete]")).hasCount(0);
  }

  @Test
  @Order(5)
  void delete_asks_for_confirmation_then_removes_the_job() throws Exception {
    createJobs(cronJob("to-delete", "0 0 * * *", "UTC"));
    Page page = open(ADMIN, "#/jobs?q=to-delete");
    row(page, "to-delete").locator("[data-test=delete]").click();
    expect(row(page, "to-delete")).isVisible(); // nothing happens before the confirmation
    assertThat(admin().get("/api/v1/jobs/to-delete").status()).isEqualTo(200);
    row(page, "to-delete").locator("[data-test=delete-confirm]").click();
    expect(page.locator("[data-test=empty]")).isVisible();
    assertThat(admin().get("/api/v1/jobs/to-delete").status()).isEqualTo(404);
  }

  /** The dashboard's own parsing, run in the browser: Server-Sent Events, cron in words, highlight fragments. */
  @Test
  @Order(8)
  void the_client_modules_parse_event_streams_schedules_and_highlights() {
    Page page = open(ADMIN, "#/jobs");
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

  /**
   * The charts of the last hour, drawn from {@code GET /api/v1/overview} in the shape the endpoint answers; on a
   * node without that endpoint (404), the browser is handed a fixture of that shape instead.
   */
  @Test
  @Order(6)
  void the_overview_draws_runs_by_status_and_lateness_for_the_last_hour() throws Exception {
    tab = browser.open(ADMIN);
    Page page = tab.page();
    page.setDefaultTimeout(WAIT.toMillis());
    overviewFixtureIfMissing(page);
    page.navigate(base() + "#/");
    expect(page.locator("[data-test=overview-charts]")).isVisible();
    expect(page.locator("[data-test=chart-status] canvas")).hasCount(1);
    expect(page.locator("[data-test=chart-lateness] canvas")).hasCount(1);
    expect(page.locator("[data-test=chart-status] .u-legend")).containsText("FAILED");
    expect(page.locator("[data-test=chart-lateness] .u-legend")).containsText("p99");
    expect(page.locator("[data-test=workers]")).containsText("default");
  }

  /** A node without {@code GET /api/v1/overview} (404): the page is answered {@link #overviewFixture()} instead. */
  private static void overviewFixtureIfMissing(Page page) throws Exception {
    if (admin().get("/api/v1/overview").status() == 404) {
      page.route("**/api/v1/overview", route -> route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
          .setStatus(200).setContentType("application/json").setBody(overviewFixture().encode())));
    }
  }

  private static JsonObject overviewFixture() {
    JsonArray minutes = new JsonArray();
    Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).minus(Duration.ofMinutes(59));
    for (int i = 0; i < 60; i++) {
      minutes.add(new JsonObject().put("at", start.plus(Duration.ofMinutes(i)).toString()).put("started", 10 + i % 7)
          .put("finished", new JsonObject().put("SUCCESS", 8 + i % 5).put("FAILED", i % 9 == 0 ? 2 : 0)
              .put("TIMED_OUT", i % 17 == 0 ? 1 : 0).put("CANCELLED", 0).put("SKIPPED", i % 11 == 0 ? 1 : 0))
          .put("lateness_counts", new JsonArray(List.of(5, 3, 1, 1, 0, 0, 0, 0)))
          .put("lateness_p50_ms", 8 + i % 4).put("lateness_p99_ms", 60 + (i * 37) % 200));
    }
    return new JsonObject().put("window_minutes", 60)
        .put("lateness_buckets_ms", new JsonArray(List.of(10, 50, 100, 250, 500, 1000, 5000)))
        .put("minutes", minutes)
        .put("queues", new JsonArray().add(new JsonObject().put("class", "default").put("ready", 3).put("delayed", 10)));
  }

  /** Last: every main page renders with the data of the tests before; screenshots for the README on request. */
  @Test
  @Order(7)
  void every_main_page_renders_without_errors() throws Exception {
    boolean shoot = Boolean.getBoolean("dashboard.screenshots");
    String runId = admin().get("/api/v1/jobs/printer/runs").body().getJsonArray("items").getJsonObject(0).getString("id");
    List<String[]> pages = List.of(
        new String[] {"overview", "#/", "[data-test=chart-status] canvas"},
        new String[] {"jobs", "#/jobs", "[data-test=jobs-table]"},
        new String[] {"job", "#/jobs/nightly-report", "[data-test=page-job] [data-test=run-row]"},
        new String[] {"runs", "#/runs", "[data-test=runs-table]"},
        new String[] {"run", "#/runs/" + runId, "[data-test=log] .line"},
        new String[] {"logs", "#/logs?q=line", "[data-test=hits]"});
    assertThat(admin().post("/api/v1/jobs/nightly-report/trigger", "").status()).isEqualTo(202); // some history
    Page page = open(ADMIN, "#/");
    overviewFixtureIfMissing(page);
    for (String[] p : pages) {
      page.navigate(base() + p[1]);
      expect(page.locator(p[2]).first()).isVisible();
      if (shoot) {
        Path file = Paths.get("docs/screenshots", p[0] + ".png");
        Files.createDirectories(file.getParent());
        // the log of the run page and the history of the job page are below the fold: the whole page
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(p[0].equals("run") || p[0].equals("job")));
        assertThat(Files.size(file)).as(file + " stays small for the README").isLessThan(300 * 1024);
      }
    }
    expect(page.locator("[data-test=runs-table]")).hasCount(0); // the last page is the log search
  }
}
