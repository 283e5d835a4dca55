package io.jobsched.bench;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitUntilState;
import io.jobsched.dashboard.DashboardBrowser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.jobsched.bench.BenchSupport.await;

/**
 * "A page renders in < 1 s with 100,000 jobs and 1 M runs": fills a throwaway node with {@code --jobs} jobs (the
 * batch API, 1,000 a request) and {@code --runs} finished runs over the last 30 days (SQL, as {@code bench
 * history} does), then loads each dashboard page in headless chromium and times it by the browser's clock, from
 * the start of the navigation (fresh document, files revalidated) to the animation frame in which the page's list
 * is in the document ({@code --rounds} times after a warm-up; the slowest is printed). Prints the
 * {@code dashboard:} line last.
 */
final class DashboardBench {
  private static final String[] ZONES = {"UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"};

  private final int jobs;
  private final long runs;
  private final int rounds;
  private final List<String> jvmArgs;

  DashboardBench(Map<String, String> opts) {
    jobs = Integer.parseInt(opts.getOrDefault("jobs", "100000"));
    runs = Long.parseLong(opts.getOrDefault("runs", "1000000"));
    rounds = Integer.parseInt(opts.getOrDefault("rounds", "5"));
    jvmArgs = IsolatedNode.jvmArgs(opts);
  }

  void run() throws Exception {
    String isolation = "bench_dashboard_" + UUID.randomUUID().toString().substring(0, 8);
    try (IsolatedNode node = new IsolatedNode(isolation, jvmArgs); DashboardBrowser browser = new DashboardBrowser()) {
      long t0 = System.nanoTime();
      // yearly fires (midnight, January 1st, in four zones): listed with a next fire, none fires meanwhile
      new JobLoader(node.port).load(jobs, i -> new JsonObject().put("id", String.format("dash-%06d", i))
          .put("name", "Dashboard job " + i).put("labels", new JsonObject().put("team", "t" + (i % 20)))
          .put("schedule", new JsonObject().put("type", "cron").put("expression", "0 0 1 1 *").put("timezone", ZONES[i % ZONES.length]))
          .put("task", new JsonObject().put("type", "noop")));
      System.out.printf("  loaded %d jobs in %.0f s%n", jobs, (System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      Instant now = Instant.now();
      RunHistoryFiller.fill(node.pg, now.minus(Duration.ofDays(30)), now, runs, "dash-", 6, jobs, 50);
      await(node.pg.query("VACUUM (ANALYZE) runs").execute());
      await(node.pg.query("VACUUM (ANALYZE) jobs").execute());
      long runRows = await(node.pg.query("SELECT count(*) FROM runs").execute()).iterator().next().getLong(0);
      System.out.printf("  filled %d runs in %.0f s (vacuumed)%n", runRows, (System.nanoTime() - t0) / 1e9);
      String runId = printSomething(node.port);

      String base = "http://127.0.0.1:" + node.port + "/";
      Map<String, String[]> pages = new LinkedHashMap<>();
      pages.put("overview", new String[] {"#/", "[data-test=page-overview]"});
      pages.put("jobs", new String[] {"#/jobs", "[data-test=jobs-table]"});
      pages.put("jobs_q", new String[] {"#/jobs?q=no-such-text", "[data-test=empty]"});
      pages.put("job", new String[] {"#/jobs/" + String.format("dash-%06d", jobs / 2), "[data-test=page-job] [data-test=runs-table]"});
      pages.put("runs", new String[] {"#/runs", "[data-test=runs-table]"});
      pages.put("run", new String[] {"#/runs/" + runId, "[data-test=log] .line"});
      pages.put("logs", new String[] {"#/logs?q=needle", "[data-test=hits]"});
      apiTimes(node.port, List.of("/api/v1/jobs?include=recent_runs&limit=50", "/api/v1/jobs?limit=50",
          "/api/v1/jobs?q=no-such-text&include=recent_runs&limit=50", "/api/v1/runs?limit=50",
          "/api/v1/runs?status=FAILED&limit=10", "/api/v1/runs?status=TIMED_OUT&limit=10",
          String.format("/api/v1/jobs/dash-%06d/runs?limit=20", jobs / 2), "/api/v1/runs/" + runId,
          "/api/v1/logs/search?q=needle&limit=50", "/api/v1/workers", "/api/v1/overview"));
      DashboardBrowser.Tab tab = browser.open(null);
      Page page = tab.page();
      page.setDefaultTimeout(30_000);
      Map<String, Double> worst = new LinkedHashMap<>();
      for (Map.Entry<String, String[]> p : pages.entrySet()) {
        double[] ms = new double[rounds];
        double[] wall = new double[rounds];
        for (int i = -1; i < rounds; i++) {
          page.navigate("about:blank");
          long start = System.nanoTime();
          page.navigate(base + p.getValue()[0], new Page.NavigateOptions().setWaitUntil(WaitUntilState.COMMIT));
          // the browser's own clock: from the start of the navigation to the animation frame the list is there in
          Object seen = page.waitForFunction("sel => document.querySelector(sel) ? performance.now() : null",
              p.getValue()[1]).jsonValue();
          if (i >= 0) {
            ms[i] = ((Number) seen).doubleValue();
            wall[i] = (System.nanoTime() - start) / 1e6;
          }
        }
        if (System.getenv("DASHBOARD_BENCH_TIMINGS") != null) {
          System.out.println("    " + page.evaluate("JSON.stringify(performance.getEntriesByType('resource').map(e => "
              + "[e.name.split('/').slice(3).join('/'), Math.round(e.startTime), Math.round(e.duration)]))"));
        }
        Arrays.sort(ms);
        Arrays.sort(wall);
        worst.put(p.getKey(), ms[ms.length - 1]);
        System.out.printf("  %-9s %-32s median %6.0f ms  slowest %6.0f ms  (with Playwright's round trips: slowest %6.0f ms)%n",
            p.getKey(), p.getValue()[0].replace(runId, "{run}"), ms[ms.length / 2], ms[ms.length - 1], wall[wall.length - 1]);
      }
      if (!tab.errors().isEmpty()) {
        System.out.println("  page errors: " + tab.errors());
      }
      StringBuilder line = new StringBuilder(String.format("dashboard: jobs=%d runs=%d", jobs, runRows));
      worst.forEach((name, ms) -> line.append(String.format(" %s_ms=%.0f", name, ms)));
      System.out.println(line);
    }
  }

  /** The API requests behind the pages, alone: median and slowest of 10 after one warm-up. */
  private static void apiTimes(int port, List<String> paths) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path : paths) {
      double[] ms = new double[10];
      for (int i = -1; i < ms.length; i++) {
        long start = System.nanoTime();
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
          throw new IllegalStateException("GET " + path + ": " + resp.statusCode() + " " + resp.body());
        }
        if (i >= 0) {
          ms[i] = (System.nanoTime() - start) / 1e6;
        }
      }
      Arrays.sort(ms);
      System.out.printf("  api %-58s median %6.1f ms  slowest %6.1f ms%n", path.replaceAll("[0-9a-f-]{36}", "{run}"),
          ms[ms.length / 2], ms[ms.length - 1]);
    }
  }

  /** One shell run that prints a few lines, indexed for the Logs page; resolves to its run id once searchable. */
  private static String printSomething(int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String job = new JsonObject().put("id", "dash-printer").put("schedule", new JsonObject().put("type", "once"))
        .put("task", new JsonObject().put("type", "shell").put("command", new JsonArray().add("/bin/sh").add("-c")
            .add("for i in 1 2 3 4 5; do echo needle line $i; done"))).encode();
    send(http, port, "POST", "/api/v1/jobs", job);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> search = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/api/v1/logs/search?q=needle")).build(), HttpResponse.BodyHandlers.ofString());
      // 503 until the day's index exists (or while Elasticsearch is away): ask again
      JsonArray hits = search.statusCode() == 200 ? new JsonObject(search.body()).getJsonArray("items") : new JsonArray();
      if (hits.size() == 5) {
        return hits.getJsonObject(0).getString("run_id");
      }
      Thread.sleep(250); // a benchmark's set-up poll, not test synchronisation
    }
    throw new IllegalStateException("the printer's 5 lines were not searchable within 60 s");
  }

  private static String send(HttpClient http, int port, String method, String path, String body) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + ": " + resp.statusCode() + " " + resp.body());
    }
    return resp.body();
  }
}
