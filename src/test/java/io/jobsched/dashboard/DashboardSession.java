package io.jobsched.dashboard;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.jobsched.it.NodeExtension;
import io.jobsched.it.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dashboard test class's browser and node: {@code @RegisterExtension static DashboardSession DASH = new
 * DashboardSession(NODE)} after the node's extension. One chromium per class, one fresh context per
 * {@link #open}; after each test the page must have logged no error (console, uncaught, CSP violation) but the
 * failed fetches the dashboard answers itself; a failing test leaves a full-page screenshot in target/playwright/.
 */
public final class DashboardSession implements BeforeAllCallback, AfterAllCallback, AfterEachCallback,
    AfterTestExecutionCallback {
  public static final String ADMIN = "dashboard-admin-0123456789";
  public static final String READER = "dashboard-read-0123456789";
  public static final Duration WAIT = Duration.ofSeconds(30);

  private final NodeExtension node;
  private DashboardBrowser browser;
  private DashboardBrowser.Tab tab;

  public DashboardSession(NodeExtension node) {
    this.node = node;
  }

  /** The node's config: an admin and a read token (named "ops" and "viewer"). */
  public static NodeExtension nodeWithTokens(String name) {
    return new NodeExtension(name, conf -> conf.getJsonObject("auth").put("tokens", new JsonArray()
        .add(new JsonObject().put("token", ADMIN).put("scope", "admin").put("name", "ops"))
        .add(new JsonObject().put("token", READER).put("scope", "read").put("name", "viewer"))));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    browser = new DashboardBrowser();
    PlaywrightAssertions.setDefaultAssertionTimeout(WAIT.toMillis());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (browser != null) {
      browser.close();
    }
  }

  @Override
  public void afterTestExecution(ExtensionContext context) throws Exception {
    if (context.getExecutionException().isPresent() && tab != null) {
      Path file = Paths.get("target/playwright", context.getRequiredTestClass().getSimpleName() + "-"
          + context.getRequiredTestMethod().getName() + ".png");
      Files.createDirectories(file.getParent());
      tab.page().screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
      System.err.println("dashboard: screenshot of the failed page: " + file.toAbsolutePath() + "; errors: " + tab.errors());
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (tab == null) {
      return;
    }
    List<String> errors = tab.errors().stream()
        // the browser logs failed fetches itself: the 401 that asks for a token is the dashboard's to answer
        .filter(e -> !e.startsWith("Failed to load resource: the server responded with a status of 401"))
        .toList();
    tab = null;
    assertThat(errors).as("console errors and CSP violations").isEmpty();
  }

  /** A fresh browser context with {@code token} (nullable) in sessionStorage, at {@code hash} of the dashboard. */
  public Page open(String token, String hash) {
    tab = browser.open(token);
    tab.page().setDefaultTimeout(WAIT.toMillis());
    tab.page().navigate(base() + hash);
    return tab.page();
  }

  public String base() {
    return "http://127.0.0.1:" + node.get().node().httpPort() + "/";
  }

  public TestNode admin() {
    return node.get().as(ADMIN);
  }

  public static LocatorAssertions expect(Locator locator) {
    return PlaywrightAssertions.assertThat(locator);
  }

  /** Jobs created through the batch API as the admin token. */
  public void createJobs(JsonObject... jobs) throws Exception {
    TestNode.Reply reply = admin().post("/api/v1/jobs/batch", new JsonObject().put("jobs", new JsonArray(List.of(jobs))).encode());
    assertThat(reply.status()).as(reply.body().encode()).isEqualTo(201);
  }

  public static JsonObject cronJob(String id, String expression, String zone) {
    return new JsonObject().put("id", id).put("name", "Report " + id).put("labels", new JsonObject().put("team", "billing"))
        .put("schedule", new JsonObject().put("type", "cron").put("expression", expression).put("timezone", zone))
        .put("task", new JsonObject().put("type", "noop"));
  }

  /** A shell job that runs once now: {@code script} under /bin/sh -c. */
  public static JsonObject shellOnce(String id, String script) {
    return new JsonObject().put("id", id).put("schedule", new JsonObject().put("type", "once"))
        .put("task", new JsonObject().put("type", "shell").put("command", new JsonArray().add("/bin/sh").add("-c").add(script)));
  }

  /** The id of the first run of {@code jobId}, once it has one. */
  public String firstRun(String jobId) {
    return org.awaitility.Awaitility.await().atMost(WAIT).until(() -> admin().get("/api/v1/jobs/" + jobId + "/runs")
        .body().getJsonArray("items"), items -> items.size() == 1).getJsonObject(0).getString("id");
  }

  /** Lines the log search finds for {@code q}; 0 while the day's index is new (503 until its shard is up). */
  public int searchHits(String q) throws Exception {
    TestNode.Reply reply = admin().get("/api/v1/logs/search?q=" + q);
    return reply.status() == 200 ? reply.body().getJsonArray("items").size() : 0;
  }

  public static Locator jobRow(Page page, String jobId) {
    return page.locator("[data-test=job-row][data-job='" + jobId + "']");
  }
}
