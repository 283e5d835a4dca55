package io.jobsched.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Lua transitions in {@code src/main/resources/lua}, called by SHA with EVALSHA. A Redis restart
 * empties the script cache; a NOSCRIPT answer is healed by sending the source once with EVAL, which also
 * caches it again.
 */
public final class LuaScripts {
  private record Script(String source, String sha) {}

  private final Redis redis;
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();

  public LuaScripts(Redis redis) {
    this.redis = redis;
  }

  /** {@code name} is the file name without {@code .lua}, e.g. {@code claimRuns-4}. */
  public Future<Response> call(String name, List<String> keys, List<String> args) {
    Script script = scripts.computeIfAbsent(name, LuaScripts::load);
    int declaredKeys = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    if (declaredKeys != keys.size()) {
      return Future.failedFuture(new IllegalArgumentException(name + " takes " + declaredKeys + " keys, got " + keys.size()));
    }
    return redis.send(request(Command.EVALSHA, script.sha, keys, args))
        .recover(err -> isNoScript(err)
            ? redis.send(request(Command.EVAL, script.source, keys, args))
            : Future.failedFuture(err));
  }

  /** A plain command on the same client, for reads beside the transitions (one key, so Cluster safe). */
  public Future<Response> send(Request request) {
    return redis.send(request);
  }

  private static boolean isNoScript(Throwable err) {
    return err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT");
  }

  private static Request request(Command cmd, String scriptOrSha, List<String> keys, List<String> args) {
    Request req = Request.cmd(cmd).arg(scriptOrSha).arg(keys.size());
    keys.forEach(req::arg);
    args.forEach(req::arg);
    return req;
  }

  private static Script load(String name) {
    String path = "/lua/" + name + ".lua";
    try (InputStream in = LuaScripts.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no Lua script " + path);
      }
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return new Script(source, HexFormat.of().formatHex(digest));
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot load " + path, e);
    }
  }
}
