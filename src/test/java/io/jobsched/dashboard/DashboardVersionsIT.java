package io.jobsched.dashboard;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.jobsched.it.NodeExtension;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.jobsched.dashboard.DashboardSession.ADMIN;
import static io.jobsched.dashboard.DashboardSession.READER;
import static io.jobsched.dashboard.DashboardSession.cronJob;
import static io.jobsched.dashboard.DashboardSession.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Job page's Versions: who changed what and when, newest first; a write token restores an earlier version
 * after a confirmation, a read token sees the versions but no Rollback button. No page may log an error or a CSP
 * violation ({@link DashboardSession}).
 */
class DashboardVersionsIT {
  @RegisterExtension
  static final NodeExtension NODE = DashboardSession.nodeWithTokens("dashversions");
  @RegisterExtension
  static final DashboardSession DASH = new DashboardSession(NODE);

  private static Locator version(Page page, long n) {
    return page.locator("[data-test=version-row][data-version='" + n + "']");
  }

  @Test
  void the_job_page_lists_versions_and_rolls_back_after_a_confirmation() throws Exception {
    DASH.createJobs(cronJob("ui-versioned", "0 30 2 * * *", "UTC"));
    JsonObject changed = cronJob("ui-versioned", "0 45 3 * * *", "UTC");
    assertThat(DASH.admin().put("/api/v1/jobs/ui-versioned", changed.encode(), null).status()).isEqualTo(200);

    Page page = DASH.open(ADMIN, "#/jobs/ui-versioned");
    expect(page.locator("[data-test=version-row]")).hasCount(2);
    Locator replace = version(page, 2);
    expect(replace.locator("[data-test=version-change]")).hasText("replace");
    expect(replace.locator("[data-test=version-by]")).hasText("ops");
    expect(replace.locator("[data-test=version-fields]")).hasText("schedule");
    expect(replace.locator("[data-test=rollback]")).hasCount(0);
    expect(version(page, 1).locator("[data-test=version-change]")).hasText("create");

    version(page, 1).locator("[data-test=rollback]").click();
    expect(version(page, 1).locator("[data-test=rollback-confirm]")).isVisible();
    assertThat(DASH.admin().get("/api/v1/jobs/ui-versioned").body().getLong("version"))
        .as("nothing before the confirmation").isEqualTo(2L);
    version(page, 1).locator("[data-test=rollback-confirm]").click();
    expect(page.locator("[data-test=notice]")).containsText("version 1 restored as version 3");
    expect(page.locator("[data-test=version-row]")).hasCount(3);
    expect(version(page, 3).locator("[data-test=version-change]")).hasText("rollback of version 1");
    JsonObject job = DASH.admin().get("/api/v1/jobs/ui-versioned").body();
    assertThat(job.getLong("version")).isEqualTo(3L);
    assertThat(job.getJsonObject("schedule").getString("expression")).isEqualTo("0 30 2 * * *");
    expect(page.locator("[data-test=next-fires]")).containsText("02:30:00 UTC");
  }

  @Test
  void a_read_token_sees_the_versions_without_a_rollback_button() throws Exception {
    DASH.createJobs(cronJob("ui-read-versions", "0 0 * * *", "UTC"));
    assertThat(DASH.admin().post("/api/v1/jobs/ui-read-versions/pause", "{}").status()).isEqualTo(200);
    Page page = DASH.open(READER, "#/jobs/ui-read-versions");
    expect(page.locator("[data-test=version-row]")).hasCount(2);
    expect(version(page, 2).locator("[data-test=version-change]")).hasText("pause");
    expect(version(page, 2).locator("[data-test=version-fields]")).hasText("paused");
    expect(page.locator("[data-test=rollback]")).hasCount(0);
  }
}
