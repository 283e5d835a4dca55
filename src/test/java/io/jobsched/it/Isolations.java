package io.jobsched.it;

import io.jobsched.config.JobschedConfig;
import io.jobsched.store.Pools;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.pgclient.PgConnection;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.jobsched.it.TestNode.await;

/**
 * What a test isolation ({@code it_<name>_<uuid>}) leaves on the shared services, and how it goes: its Postgres
 * database, its Elasticsearch indices ({@code <isolation>-logs-*}) and index template, its Redis keys
 * ({@code <isolation>:…}). {@link TestNode#newIsolation} records every isolation it hands out;
 * {@link IsolationCleanup} drops them when the test class is done, after its nodes closed.
 */
final class Isolations {
  private static final Pattern SAFE = Pattern.compile("it_[a-z0-9_]+");
  /** Handed out and not dropped yet. Test classes run one after another, so these belong to the running class. */
  private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();

  private Isolations() {
  }

  static void issued(String isolation) {
    OPEN.add(isolation);
  }

  /** Drops every isolation handed out since the last call; the first failure is thrown after trying them all. */
  static void dropAllIssued() throws Exception {
    Exception first = null;
    for (String isolation : List.copyOf(OPEN)) {
      try {
        drop(isolation);
        OPEN.remove(isolation);
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Drops the isolation's database (closing whatever is still connected), indices, template and keys. */
  static void drop(String isolation) throws Exception {
    if (!SAFE.matcher(isolation).matches()) {   // the name goes into DDL and a key pattern unquoted
      throw new IllegalArgumentException("not a test isolation: " + isolation);
    }
    JobschedConfig cfg = JobschedConfig.from(TestNode.isolatedConfig(isolation));
    Vertx vertx = Vertx.vertx();
    try {
      await(PgConnection.connect(vertx, Pools.connectOptions(cfg.postgres()).setDatabase("postgres"))
          .compose(conn -> conn.query("SET client_min_messages = warning").execute()   // no NOTICE when it is gone
              .compose(x -> conn.query("DROP DATABASE IF EXISTS " + isolation + " WITH (FORCE)").execute())
              .eventually(conn::close)), 60);
      dropKeys(vertx, cfg.redis().url(), isolation);
    } finally {
      await(vertx.close(), 10);
    }
    dropIndices(cfg.elasticsearch().url(), cfg.elasticsearch().indexPrefix());
  }

  private static void dropKeys(Vertx vertx, String url, String prefix) throws Exception {
    Redis redis = Redis.createClient(vertx, url);
    try {
      String cursor = "0";
      do {
        Response page = await(redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + ":*")
            .arg("COUNT").arg(1000)), 30);
        cursor = page.get(0).toString();
        Request unlink = Request.cmd(Command.UNLINK);
        for (Response key : page.get(1)) {
          unlink.arg(key.toString());
        }
        if (page.get(1).size() > 0) {
          await(redis.send(unlink), 30);
        }
      } while (!"0".equals(cursor));
    } finally {
      redis.close();
    }
  }

  /** Elasticsearch 8 refuses wildcard deletes (action.destructive_requires_name): list the names, then delete them. */
  private static void dropIndices(String url, String indexPrefix) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> listed = http.send(HttpRequest.newBuilder(URI.create(url + "/_cat/indices/" + indexPrefix
        + "-*?format=json&h=index&expand_wildcards=all")).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (listed.statusCode() != 200) {
      throw new IllegalStateException("listing indices " + indexPrefix + "-*: " + listed.statusCode() + " " + listed.body());
    }
    List<String> names = new ArrayList<>();
    new JsonArray(listed.body()).forEach(o -> names.add(((io.vertx.core.json.JsonObject) o).getString("index")));
    if (!names.isEmpty()) {
      expect(http, url + "/" + names.stream().collect(Collectors.joining(",")), 200);
    }
    expect(http, url + "/_index_template/" + indexPrefix, 404);
  }

  private static void expect(HttpClient http, String uri, int orAlso) throws Exception {
    HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30))
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 200 && resp.statusCode() != orAlso) {
      throw new IllegalStateException("DELETE " + uri + ": " + resp.statusCode() + " " + resp.body());
    }
  }
}
