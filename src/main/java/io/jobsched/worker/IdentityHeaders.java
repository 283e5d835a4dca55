package io.jobsched.worker;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A run's identity as {@code X-Jobsched-*} headers, for tasks that talk HTTP or the event bus. */
final class IdentityHeaders {
  static final String PREFIX = "X-Jobsched-";

  private IdentityHeaders() {
  }

  /** Header name to value, e.g. {@code RUN_ID} becomes {@code X-Jobsched-Run-Id}. */
  static Map<String, String> of(TaskContext ctx) {
    Map<String, String> headers = new LinkedHashMap<>();
    ctx.identity().forEach((key, value) -> headers.put(name(key), value));
    return headers;
  }

  /** UPPER_SNAKE to Title-Kebab behind the prefix. */
  static String name(String key) {
    StringBuilder name = new StringBuilder(PREFIX);
    String[] words = key.toLowerCase(Locale.ROOT).split("_");
    for (int i = 0; i < words.length; i++) {
      if (i > 0) {
        name.append('-');
      }
      if (!words[i].isEmpty()) {
        name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i], 1, words[i].length());
      }
    }
    return name.toString();
  }

  /**
   * The whole X-Jobsched- namespace is ours, not only the names present on this run: a user header
   * {@code X-Jobsched-Context} on a run without context would otherwise pass as identity.
   */
  static boolean isReserved(String header) {
    return header.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
  }
}
