package io.jobsched.config;

import io.jobsched.job.TaskSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * {@code auth.tokens}: each {@code {"token": "...", "scope": "read|write|admin", "name": "...",
 * "namespaces": [...], "task_kinds": [...]}}, or {@code "token_sha256"} instead of {@code "token"} so the
 * secret itself need not sit in the config file. {@code task_kinds} lists the kinds of task the token may
 * create or replace jobs with; without it an admin token may use every kind and a write token every kind
 * but {@code shell} (a shell task runs any command on the workers).
 */
public final class AuthConfig {
  private static final Set<String> SCOPES = Set.of("read", "write", "admin");
  private static final int MIN_TOKEN_CHARS = 16;

  private AuthConfig() {
  }

  static JobschedConfig.Auth parse(ConfigSection section) {
    JsonArray raw = section.array("tokens");
    List<JobschedConfig.Token> tokens = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String key = "tokens[" + i + "]";
      if (!(raw.getValue(i) instanceof JsonObject t)) {
        throw section.bad(key, "expected an object with token, scope and optional namespaces");
      }
      for (String field : t.fieldNames()) {
        if (!Set.of("token", "token_sha256", "scope", "name", "namespaces", "task_kinds").contains(field)) {
          throw section.bad(key + "." + field, "unknown config key");
        }
      }
      String sha;
      if (t.getValue("token") instanceof String token && !t.containsKey("token_sha256")) {
        if (token.length() < MIN_TOKEN_CHARS) {
          throw section.bad(key + ".token", "must be at least " + MIN_TOKEN_CHARS + " characters");
        }
        sha = sha256(token);
      } else if (t.getValue("token_sha256") instanceof String h && !t.containsKey("token")
          && h.matches("[0-9a-f]{64}")) {
        sha = h;
      } else {
        throw section.bad(key, "needs exactly one of token (string) or token_sha256 (64 lowercase hex digits)");
      }
      if (!(t.getValue("scope") instanceof String scope) || !SCOPES.contains(scope)) {
        throw section.bad(key + ".scope", "must be one of read, write, admin");
      }
      List<String> namespaces = names(section, t, key, "namespaces", "namespace names");
      List<String> taskKinds = names(section, t, key, "task_kinds", "task kinds");
      if (taskKinds != null && !TaskSpec.KINDS.containsAll(taskKinds)) {
        throw section.bad(key + ".task_kinds", "unknown task kind in " + taskKinds + " (known: " + TaskSpec.KINDS + ")");
      }
      Object name = t.getValue("name");
      if (name != null && !(name instanceof String s && !s.isBlank() && s.length() <= 128)) {
        throw section.bad(key + ".name", "expected a name of 1 to 128 characters");
      }
      tokens.add(new JobschedConfig.Token(sha, scope, (String) name, namespaces, taskKinds));
    }
    return new JobschedConfig.Auth(tokens);
  }

  /** An optional non-empty array of non-blank strings; null when absent. */
  private static List<String> names(ConfigSection section, JsonObject token, String key, String field, String what) {
    if (!token.containsKey(field)) {
      return null;
    }
    if (!(token.getValue(field) instanceof JsonArray values) || values.isEmpty()
        || !values.stream().allMatch(n -> n instanceof String s && !s.isBlank())) {
      throw section.bad(key + "." + field, "expected a non-empty array of " + what);
    }
    return values.stream().map(String.class::cast).toList();
  }

  /** The form tokens are kept and compared in: lowercase hex SHA-256 of the UTF-8 token. */
  public static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
