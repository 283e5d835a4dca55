package io.jobsched.redis;

import io.vertx.redis.client.Response;

import java.util.HashMap;
import java.util.Map;

/** Reads an HGETALL reply, which is a map on RESP3 and a flat [field, value, ...] array on RESP2. */
public final class HashReply {
  private HashReply() {
  }

  public static Map<String, String> fields(Response reply) {
    Map<String, String> fields = new HashMap<>();
    if (reply == null) {
      return fields;
    }
    if (reply.isMap()) {
      reply.getKeys().forEach(f -> fields.put(f, reply.get(f).toString()));
    } else {
      for (int i = 0; i + 1 < reply.size(); i += 2) {
        fields.put(reply.get(i).toString(), reply.get(i + 1).toString());
      }
    }
    return fields;
  }
}
