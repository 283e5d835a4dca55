package io.jobsched.logs;

import io.vertx.core.json.JsonArray;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of a log search ended: the last line's sort key (time in epoch milliseconds, run id, seq), the
 * {@code search_after} of the next page. Opaque to clients (base64url of a JSON array).
 */
public record LogCursor(long tsMillis, UUID runId, long seq) {
  public String encode() {
    String json = new JsonArray().add(tsMillis).add(runId.toString()).add(seq).encode();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** @throws IllegalArgumentException for anything {@link #encode} did not make */
  public static LogCursor decode(String cursor) {
    try {
      JsonArray a = new JsonArray(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
      if (a.size() != 3) {
        throw new IllegalArgumentException("not a log search cursor");
      }
      return new LogCursor(a.getLong(0), UUID.fromString(a.getString(1)), a.getLong(2));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a log search cursor: " + cursor, e);
    }
  }
}
