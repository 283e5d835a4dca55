package io.jobsched.it;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The masters of the test Redis Cluster ({@code scripts/services.sh up redis-cluster}), each asked directly
 * (a plain client per port, no cluster routing): which of them holds which queue partition's keys.
 */
final class ClusterMasters implements AutoCloseable {
  private static final Pattern PARTITION_TAG = Pattern.compile(":\\{q(\\d+)(?:-\\d+)?}:");

  private final Vertx vertx = Vertx.vertx();
  private final Map<Integer, Redis> byPort = new LinkedHashMap<>();

  ClusterMasters(List<Integer> ports) {
    ports.forEach(port -> byPort.put(port, Redis.createClient(vertx, "redis://127.0.0.1:" + port)));
  }

  /** The ports of {@code JOBSCHED_REDIS_CLUSTER_PORTS} (as the tests keep it), else services.sh's default. */
  static List<Integer> ports() {
    String ports = System.getenv().getOrDefault("IT_JOBSCHED_REDIS_CLUSTER_PORTS", "17001 17002 17003");
    List<Integer> out = new ArrayList<>();
    for (String p : ports.trim().split("\\s+")) {
      out.add(Integer.parseInt(p));
    }
    return out;
  }

  /** The seed URLs a node's {@code redis.endpoints} takes. */
  static List<String> endpoints() {
    return ports().stream().map(p -> "redis://127.0.0.1:" + p).toList();
  }

  /** Each master's role as it reports it ({@code master} expected for all: the cluster has no replicas). */
  Map<Integer, String> roles() throws Exception {
    Map<Integer, String> roles = new LinkedHashMap<>();
    for (Map.Entry<Integer, Redis> e : byPort.entrySet()) {
      roles.put(e.getKey(), send(e.getValue(), Request.cmd(Command.ROLE)).get(0).toString());
    }
    return roles;
  }

  /** Per master, the queue partitions whose keys under {@code prefix} it holds now. */
  Map<Integer, TreeSet<Integer>> partitionsByMaster(String prefix) throws Exception {
    Map<Integer, TreeSet<Integer>> out = new LinkedHashMap<>();
    for (Map.Entry<Integer, Redis> e : byPort.entrySet()) {
      TreeSet<Integer> partitions = new TreeSet<>();
      String cursor = "0";
      do {
        Response page = send(e.getValue(), Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + ":{q*")
            .arg("COUNT").arg(1000));
        cursor = page.get(0).toString();
        for (Response key : page.get(1)) {
          Matcher m = PARTITION_TAG.matcher(key.toString());
          if (m.find()) {
            partitions.add(Integer.parseInt(m.group(1)));
          }
        }
      } while (!"0".equals(cursor));
      out.put(e.getKey(), partitions);
    }
    return out;
  }

  /** The master that serves {@code key}'s hash slot, by asking each which slot ranges it owns. */
  int masterOf(String key) throws Exception {
    Redis any = byPort.values().iterator().next();
    long slot = send(any, Request.cmd(Command.CLUSTER).arg("KEYSLOT").arg(key)).toLong();
    for (Response shard : send(any, Request.cmd(Command.CLUSTER).arg("SLOTS"))) {
      if (shard.get(0).toLong() <= slot && slot <= shard.get(1).toLong()) {
        return shard.get(2).get(1).toInteger();
      }
    }
    throw new IllegalStateException("no master serves slot " + slot + " of " + key);
  }

  /** Empties every master's script cache, as a restart would: the next EVALSHA there answers NOSCRIPT. */
  void flushScripts() throws Exception {
    for (Redis redis : byPort.values()) {
      send(redis, Request.cmd(Command.SCRIPT).arg("FLUSH"));
    }
  }

  /** Per master, whether its script cache holds the script of this SHA-1. */
  Map<Integer, Boolean> scriptCached(String sha) throws Exception {
    Map<Integer, Boolean> out = new LinkedHashMap<>();
    for (Map.Entry<Integer, Redis> e : byPort.entrySet()) {
      out.put(e.getKey(), send(e.getValue(), Request.cmd(Command.SCRIPT).arg("EXISTS").arg(sha)).get(0).toInteger() == 1);
    }
    return out;
  }

  /** Deletes every key under {@code prefix} on every master: the test's leftovers (Isolations knows one Redis only). */
  void dropKeys(String prefix) throws Exception {
    for (Redis redis : byPort.values()) {
      String cursor = "0";
      do {
        Response page = send(redis, Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + ":*").arg("COUNT").arg(1000));
        cursor = page.get(0).toString();
        for (Response key : page.get(1)) {
          send(redis, Request.cmd(Command.UNLINK).arg(key.toString()));
        }
      } while (!"0".equals(cursor));
    }
  }

  private static Response send(Redis redis, Request request) throws Exception {
    return TestNode.await(redis.send(request), 10);
  }

  @Override
  public void close() throws Exception {
    TestNode.await(vertx.close(), 10);
  }
}
