package io.jobsched.config;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * The {@code redis} section: one server ({@code mode: standalone}, at {@code url}) or a Redis Cluster
 * ({@code mode: cluster}, found through the seed nodes in {@code endpoints}). Each setting belongs to one mode,
 * so a leftover of the other mode is refused rather than silently ignored.
 */
final class RedisConfig {
  static final Set<String> KEYS = Set.of("mode", "url", "endpoints", "prefix", "pool_size");
  private static final Set<String> MODES = Set.of(JobschedConfig.Redis.STANDALONE, JobschedConfig.Redis.CLUSTER);

  private RedisConfig() {
  }

  static JobschedConfig.Redis parse(ConfigSection r) {
    String mode = r.string("mode", false);
    if (!MODES.contains(mode)) {
      throw r.bad("mode", "expected standalone or cluster, got '" + mode + "'");
    }
    String url = r.string("url", false);
    checkRedisUrl(r, "url", url);
    List<String> endpoints = r.strings("endpoints");
    endpoints.forEach(e -> checkRedisUrl(r, "endpoints", e));
    if (mode.equals(JobschedConfig.Redis.CLUSTER) && endpoints.isEmpty()) {
      throw r.bad("endpoints", "required when redis.mode is cluster: the redis:// URLs of one or more of its "
          + "masters (the client discovers the rest)");
    }
    if (mode.equals(JobschedConfig.Redis.STANDALONE) && !endpoints.isEmpty()) {
      throw r.bad("endpoints", "only used when redis.mode is cluster (standalone connects to redis.url): "
          + "set redis.mode to cluster, or empty this list");
    }
    return new JobschedConfig.Redis(mode, url, endpoints, r.string("prefix", false), r.integer("pool_size", 1, 1000));
  }

  static void checkRedisUrl(ConfigSection section, String key, String url) {
    try {
      URI uri = URI.create(url);
      if (uri.getHost() == null || !List.of("redis", "rediss").contains(uri.getScheme())) {
        throw section.bad(key, "expected a URL with scheme redis or rediss, got " + url);
      }
    } catch (IllegalArgumentException ex) {
      throw section.bad(key, "not a URL: " + url);
    }
  }
}
