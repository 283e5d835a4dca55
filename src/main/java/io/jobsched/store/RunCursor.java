package io.jobsched.store;

import io.jobsched.run.Run;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Position in a job's run history (newest first). Opaque to clients; keyset-based, so pages stay stable
 * while new runs arrive.
 */
public record RunCursor(Instant scheduledFor, int attempt, UUID id) {
  public static RunCursor after(Run run) {
    return new RunCursor(run.scheduledFor(), run.attempt(), run.id());
  }

  public String encode() {
    String raw = scheduledFor + "|" + attempt + "|" + id;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** @throws IllegalArgumentException when {@code s} is not a cursor this class made */
  public static RunCursor decode(String s) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8).split("\\|");
      if (parts.length != 3) {
        throw new IllegalArgumentException("malformed cursor");
      }
      return new RunCursor(Instant.parse(parts[0]), Integer.parseInt(parts[1]), UUID.fromString(parts[2]));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed cursor", e);
    }
  }
}
