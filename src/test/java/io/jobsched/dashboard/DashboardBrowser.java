package io.jobsched.dashboard;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Headless Debian chromium ({@code /usr/bin/chromium}, installed by scripts/browser.sh) driven by Playwright
 * with the system Node ({@code PLAYWRIGHT_NODEJS_PATH}), never a downloaded browser. Each {@link #open} is a
 * fresh browser context (its own sessionStorage, so its own token) whose console errors, uncaught exceptions
 * and Content-Security-Policy violations are collected.
 */
public final class DashboardBrowser implements AutoCloseable {
  public static final Path CHROMIUM = Paths.get(System.getenv().getOrDefault("JOBSCHED_CHROMIUM", "/usr/bin/chromium"));

  private final Playwright playwright;
  private final Browser browser;
  private final List<BrowserContext> contexts = new ArrayList<>();

  /** A page and what went wrong in it. */
  public record Tab(Page page, List<String> errors) {}

  public DashboardBrowser() {
    if (!Files.isExecutable(CHROMIUM)) {
      throw new IllegalStateException(CHROMIUM + " is missing: run scripts/browser.sh (apt-get install chromium)");
    }
    String node = System.getenv().getOrDefault("PLAYWRIGHT_NODEJS_PATH", "/usr/bin/node");
    if (System.getProperty("playwright.nodejs.path") == null) {
      // the driver-bundle (Node binaries) is excluded in pom.xml: the driver must be told where Node is
      System.setProperty("playwright.nodejs.path", node);
    }
    Map<String, String> env = new HashMap<>();
    env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    env.put("PLAYWRIGHT_NODEJS_PATH", node);
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env));
    List<String> args = new ArrayList<>();
    // chromium refuses to start its sandbox as root; containers without user namespaces can ask for the same
    if ("root".equals(System.getProperty("user.name")) || "1".equals(System.getenv("JOBSCHED_CHROMIUM_NO_SANDBOX"))) {
      args.add("--no-sandbox");
    }
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
        .setHeadless(true).setArgs(args));
  }

  /** A fresh context; {@code token} (nullable) is put in sessionStorage as the dashboard's token form would. */
  public Tab open(String token) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 860)
        .setTimezoneId("Europe/Berlin").setLocale("en-GB"));
    contexts.add(context);
    // injected through the devtools protocol, so the page's CSP does not block it
    context.addInitScript("document.addEventListener('securitypolicyviolation', e => console.error("
        + "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
        + (token == null ? "" : "sessionStorage.setItem('jobsched.token', " + jsString(token) + ");"));
    Page page = context.newPage();
    List<String> errors = new CopyOnWriteArrayList<>();
    page.onConsoleMessage(m -> {
      if ("error".equals(m.type())) {
        errors.add(m.text() + " @ " + m.location());
      }
    });
    page.onPageError(err -> errors.add("uncaught: " + err));
    return new Tab(page, errors);
  }

  private static String jsString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  @Override
  public void close() {
    contexts.forEach(BrowserContext::close);
    browser.close();
    playwright.close();
  }
}
