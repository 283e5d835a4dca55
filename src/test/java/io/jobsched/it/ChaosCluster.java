package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * Three clustered node JVMs with every role, started from the shipped jar in one isolation, each on a fixed
 * HTTP and Hazelcast port so a node restarted after a crash comes back as itself. Requests go to the first
 * node that is neither killed nor frozen.
 */
final class ChaosCluster implements AutoCloseable {
  private static final Pattern MEMBERS = Pattern.compile("Members \\{size:(\\d+)");
  static final int LEASE_MS = 15_000;
  private static final int HTTP_PORT_OFFSET = 50;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String isolation;
  private final int hzBase;
  private final int[] httpPorts;
  private final ExternalWorker[] nodes;
  private final boolean[] frozen;

  private ChaosCluster(String isolation, int size) throws Exception {
    this.isolation = isolation;
    this.hzBase = TestNode.isolatedConfig(isolation).getJsonObject("cluster").getInteger("port");
    this.httpPorts = new int[size];
    this.nodes = new ExternalWorker[size];
    this.frozen = new boolean[size];
    // beside the Hazelcast ports, below the ephemeral range: a port found free with ServerSocket(0) is in that
    // range, and an outgoing connection once took one in the seconds before its node bound it (address in use)
    for (int i = 0; i < size; i++) {
      httpPorts[i] = hzBase + HTTP_PORT_OFFSET + i;
    }
  }

  static ChaosCluster start(String isolation, int size) throws Exception {
    ChaosCluster cluster = new ChaosCluster(isolation, size);
    try {
      // side by side: a node's start is mostly waiting (Hazelcast's join, migrations)
      List<CompletableFuture<Void>> starts = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        int node = i;
        starts.add(CompletableFuture.runAsync(() -> {
          try {
            cluster.start(node);
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        }));
      }
      CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
      cluster.awaitMembers(size);
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** Node {@code i} is {@code chaos-<i+1>}; its worker is {@code chaos-<i+1>/worker-1}. */
  static String nodeId(int i) {
    return "chaos-" + (i + 1);
  }

  void start(int i) throws Exception {
    nodes[i] = ExternalWorker.start(isolation, nodeId(i), conf -> {
      conf.getJsonObject("node").put("roles", new JsonArray().add("api").add("scheduler").add("worker").add("reaper").add("indexer"));
      conf.getJsonObject("cluster").put("enabled", true).put("port", hzBase + i);
      conf.getJsonObject("http").put("port", httpPorts[i]);
      // the shipped lease, heartbeat and reaper timing, not the tests' short ones: what a deployment gets
      conf.getJsonObject("worker").put("lease_ms", LEASE_MS).put("heartbeat_ms", 3000);
      conf.getJsonObject("reaper").put("interval_ms", 2000);
    });
    frozen[i] = false;
  }

  ExternalWorker node(int i) {
    return nodes[i];
  }

  void kill(int i) throws Exception {
    nodes[i].kill();
  }

  void freeze(int i) throws Exception {
    frozen[i] = true;
    nodes[i].freeze();
  }

  void thaw(int i) throws Exception {
    nodes[i].thaw();
    frozen[i] = false;
  }

  /** Every live node's latest Hazelcast membership line names {@code size} members. */
  void awaitMembers(int size) {
    await().alias("a cluster of " + size).atMost(Duration.ofSeconds(90)).until(() -> {
      for (ExternalWorker n : nodes) {
        if (n != null && n.isAlive() && members(n.output()) != size) {
          return false;
        }
      }
      return true;
    });
  }

  private static int members(String log) {
    Matcher m = MEMBERS.matcher(log);
    int last = -1;
    while (m.find()) {
      last = Integer.parseInt(m.group(1));
    }
    return last;
  }

  /** The HTTP port of the first node that is alive and not frozen. */
  private int livePort() {
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] != null && nodes[i].isAlive() && !frozen[i]) {
        return httpPorts[i];
      }
    }
    throw new IllegalStateException("no live node");
  }

  TestNode.Reply get(String path) throws Exception {
    return send("GET", path, null);
  }

  TestNode.Reply post(String path, String body) throws Exception {
    return send("POST", path, body);
  }

  private TestNode.Reply send(String method, String path, String body) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + livePort() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      req.header("Content-Type", "application/json");
    }
    HttpResponse<String> resp = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
    ContractCheck.check(method, body, resp);
    String text = resp.body();
    return new TestNode.Reply(resp.statusCode(), text != null && text.trim().startsWith("{") ? new JsonObject(text) : new JsonObject());
  }

  /** The outputs of every node started, for a failure message. */
  List<String> outputs() {
    List<String> out = new ArrayList<>();
    for (ExternalWorker n : nodes) {
      try {
        out.add(n == null ? "" : n.output());
      } catch (Exception e) {
        out.add(e.toString());
      }
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    for (ExternalWorker n : nodes) {
      if (n != null) {
        n.close();
      }
    }
  }
}
