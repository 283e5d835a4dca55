package io.jobsched.dashboard;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import io.jobsched.it.NodeExtension;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.regex.Pattern;

import static io.jobsched.dashboard.DashboardSession.ADMIN;
import static io.jobsched.dashboard.DashboardSession.READER;
import static io.jobsched.dashboard.DashboardSession.WAIT;
import static io.jobsched.dashboard.DashboardSession.cronJob;
import static io.jobsched.dashboard.DashboardSession.expect;
import static io.jobsched.dashboard.DashboardSession.jobRow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a user does in the dashboard, in a real browser against a node with tokens configured: enter a token and
 * see jobs created through the API listed with their next fire, Run now and see the run, pause, watch a run's
 * lines arrive live, search the logs and follow the hit to its run, cancel a run, delete with confirmation; a read token sees
 * no write button. No page may log an error or a CSP violation ({@link DashboardSession}).
 */
class DashboardIT {
  @RegisterExtension
  static final NodeExtension NODE = DashboardSession.nodeWithTokens("dashboard");
  @RegisterExtension
  static final DashboardSession DASH = new DashboardSession(NODE);

  @Test
  void after_the_token_form_jobs_created_through_the_api_are_listed_with_their_next_fire() throws Exception {
    DASH.createJobs(cronJob("nightly-report", "0 30 2 * * *", "Europe/Berlin"), cronJob("hourly-sync", "0 15 * * * *", "UTC"));
    Page page = DASH.open(null, "#/jobs");
    Response index = page.waitForResponse(r -> r.url().equals(DASH.base()), () -> page.reload());
    assertThat(index.headers().get("content-security-policy")).isEqualTo("default-src 'self'; script-src 'self'; "
        + "style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        + "form-action 'self'");

    page.locator("[data-test=token-input]").fill(ADMIN);
    page.locator("[data-test=token-save]").click();
    expect(page.locator("[data-test=who]")).containsText("ops · admin");
    Locator nightly = jobRow(page, "nightly-report");
    expect(nightly).containsText("daily at 02:30");
    expect(nightly).containsText("0 30 2 * * *");
    expect(nightly).containsText("Europe/Berlin");
    expect(nightly.locator("[data-test=next-fire]")).containsText(Pattern.compile("\\d{4}-\\d\\d-\\d\\d 0[01]:30:00 UTC"));
    expect(nightly.locator("[data-test=next-fire]")).containsText("in ");
    expect(jobRow(page, "hourly-sync").locator("[data-test=next-fire]")).containsText(":15:00 UTC");

    page.locator("input[name=q]").fill("sync");
    page.locator("[data-test=apply]").click();
    expect(page.locator("[data-test=job-row]")).hasCount(1);
    expect(jobRow(page, "hourly-sync")).isVisible();
  }

  @Test
  void run_now_shows_the_new_run_and_pause_shows_the_job_paused() throws Exception {
    DASH.createJobs(new JsonObject().put("id", "manual-export").put("schedule", new JsonObject().put("type", "at")
        .put("at", "2099-01-01T00:00:00Z")).put("task", new JsonObject().put("type", "noop")));
    Page page = DASH.open(ADMIN, "#/jobs/manual-export");
    expect(page.locator("[data-test=no-runs]")).isVisible();
    page.locator("[data-test=run-now]").click();
    expect(page.locator("[data-test=notice]")).containsText("Run ");
    Locator run = page.locator("[data-test=run-row]");
    expect(run).hasCount(1);
    expect(run.first()).hasAttribute("data-status", "SUCCESS");

    page.navigate(DASH.base() + "#/jobs?q=manual-export");
    Locator row = jobRow(page, "manual-export");
    expect(row.locator("[data-test=strip] .s-success")).hasCount(1);
    row.locator("[data-test=pause]").click();
    expect(row.locator("[data-test=paused]")).isVisible();
    expect(row.locator("[data-test=resume]")).isVisible();
    assertThat(DASH.admin().get("/api/v1/jobs/manual-export").body().getBoolean("paused")).isTrue();
  }

  @Test
  void a_runs_lines_arrive_live_and_a_log_search_highlights_the_hit_linking_to_the_run() throws Exception {
    DASH.createJobs(DashboardSession.shellOnce("printer", "for i in 1 2 3 4 5 6 7 8; do echo line-$i; sleep 1; done; echo done quokka"));
    String runId = DASH.firstRun("printer");

    Page page = DASH.open(ADMIN, "#/runs/" + runId);
    Locator log = page.locator("[data-test=log]");
    expect(log).containsText("line-1");
    assertThat(log.textContent()).as("line-1 came while the task still printed, not with the rest at its end")
        .doesNotContain("done quokka");
    expect(page.locator("[data-test=run-lease]")).containsText("expires");
    // follow off, then on: the tail goes on after the last line seen (Last-Event-ID), nothing twice
    page.locator("[data-test=follow]").uncheck();
    expect(page.locator("[data-test=log-state]")).hasText("paused");
    Request resumed = page.waitForRequest(r -> r.url().endsWith("/logs/follow") && r.headers().containsKey("last-event-id"),
        () -> page.locator("[data-test=follow]").check());
    assertThat(Long.parseLong(resumed.headers().get("last-event-id"))).isPositive();
    assertThat(resumed.headers().get("authorization")).isEqualTo("Bearer " + ADMIN);
    expect(log).containsText("line-5");
    expect(log).containsText("done quokka");
    expect(log.locator(".line")).hasCount(9);
    expect(page.locator("[data-test=log-state]")).hasText("ended");
    expect(page.locator("[data-test=page-run]")).hasAttribute("data-status", "SUCCESS");
    JsonObject run = DASH.admin().get("/api/v1/runs/" + runId).body();
    expect(page.locator("[data-test=run-details]")).containsText(run.getString("worker"));

    await().atMost(WAIT).until(() -> DASH.searchHits("quokka") == 1);
    page.navigate(DASH.base() + "#/logs");
    page.locator("input[name=q]").fill("quokka");
    page.locator("[data-test=search]").click();
    expect(page.locator("[data-test=hit]")).hasText("quokka");
    page.locator("[data-test=hit-run]").click();
    page.waitForURL("**/#/runs/" + runId);
    expect(page.locator("[data-test=page-run]")).isVisible();
  }

  @Test
  void a_long_log_keeps_its_newest_lines_and_load_older_brings_back_the_rest() throws Exception {
    DASH.createJobs(DashboardSession.shellOnce("long-log", "seq 1 2300"));
    String runId = DASH.firstRun("long-log");
    await().atMost(WAIT).until(() -> "SUCCESS".equals(DASH.admin().get("/api/v1/runs/" + runId).body().getString("status")));
    Page page = DASH.open(ADMIN, "#/runs/" + runId);
    Locator lines = page.locator("[data-test=log] .line");
    expect(page.locator("[data-test=log-state]")).hasText("ended");
    expect(lines).hasCount(2000);
    expect(lines.first()).hasAttribute("data-seq", "301");
    page.locator("[data-test=load-older]").click();
    expect(lines).hasCount(2300);
    expect(lines.first()).hasAttribute("data-seq", "1");
    expect(page.locator("[data-test=load-older]")).hasCount(0);
  }

  @Test
  void a_hidden_tab_stops_polling_and_refreshes_when_shown_again() throws Exception {
    DASH.createJobs(cronJob("polled", "0 0 * * *", "UTC"));
    Page page = DASH.open(ADMIN, "#/jobs?q=polled");
    java.util.concurrent.atomic.AtomicInteger lists = new java.util.concurrent.atomic.AtomicInteger();
    page.onRequest(r -> {
      if (r.url().contains("/api/v1/jobs?")) {
        lists.incrementAndGet();
      }
    });
    await().alias("the list polls while visible").atMost(WAIT).until(() -> {
      page.waitForTimeout(100);   // lets Playwright deliver the page's events to this thread
      return lists.get() >= 2;
    });
    page.evaluate("() => { Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});"
        + " document.dispatchEvent(new Event('visibilitychange')); }");
    page.waitForTimeout(100);
    int hidden = lists.get();
    // the list polls every few seconds while visible: 8 s hidden without one request shows the timer stopped
    await().during(java.time.Duration.ofSeconds(8)).atMost(java.time.Duration.ofSeconds(10)).until(() -> {
      page.waitForTimeout(100);
      return lists.get() == hidden;
    });
    page.waitForRequest(r -> r.url().contains("/api/v1/jobs?"), () -> page.evaluate(
        "() => { Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'visible'});"
        + " document.dispatchEvent(new Event('visibilitychange')); }"));
  }

  @Test
  void a_read_token_sees_the_jobs_but_no_write_button() throws Exception {
    DASH.createJobs(cronJob("read-only-view", "*/5 * * * *", "UTC"));
    Page page = DASH.open(READER, "#/jobs?q=read-only-view");
    expect(page.locator("[data-test=who]")).containsText("viewer · read");
    expect(jobRow(page, "read-only-view")).isVisible();
    for (String button : List.of("run-now", "pause", "resume", "delete", "cancel")) {
      expect(page.locator("[data-test=" + button + "]")).hasCount(0);
    }
    page.locator("[data-test=job-link]").click();
    expect(page.locator("[data-test=next-fires] li")).hasCount(5);
    expect(page.locator("[data-test=run-now]")).hasCount(0);
    expect(page.locator("[data-test=delete]")).hasCount(0);
  }

  @Test
  void cancel_on_the_runs_page_stops_a_running_run() throws Exception {
    DASH.createJobs(DashboardSession.shellOnce("sleeper", "sleep 120"));
    String runId = DASH.firstRun("sleeper");
    Page page = DASH.open(ADMIN, "#/runs?job_id=sleeper");
    Locator row = page.locator("[data-test=run-row][data-run='" + runId + "']");
    expect(row).hasAttribute("data-status", "RUNNING");
    row.locator("[data-test=cancel]").click();
    expect(page.locator("[data-test=notice]")).containsText("Cancel of run");
    expect(row).hasAttribute("data-status", "CANCELLED");
    expect(row.locator("[data-test=cancel]")).hasCount(0);
  }

  @Test
  void delete_asks_for_confirmation_then_removes_the_job() throws Exception {
    DASH.createJobs(cronJob("to-delete", "0 0 * * *", "UTC"));
    Page page = DASH.open(ADMIN, "#/jobs?q=to-delete");
    jobRow(page, "to-delete").locator("[data-test=delete]").click();
    expect(jobRow(page, "to-delete").locator("[data-test=delete-confirm]")).isVisible();
    assertThat(DASH.admin().get("/api/v1/jobs/to-delete").status()).as("nothing before the confirmation").isEqualTo(200);
    jobRow(page, "to-delete").locator("[data-test=delete-confirm]").click();
    expect(page.locator("[data-test=empty]")).isVisible();
    assertThat(DASH.admin().get("/api/v1/jobs/to-delete").status()).isEqualTo(404);
  }
}
