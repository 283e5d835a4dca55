package io.jobsched.store;

import io.jobsched.run.Run;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Position in a job's run history (newest first). Opaque to clients; keyset-based, so pages stay stable
 * while new runs arrive. {@link #decode} accepts exactly what {@link #encode} writes, so a junk cursor is
 * refused here and never reaches a query.
 */
public record RunCursor(Instant scheduledFor, int attempt, UUID id) {
  /** The instants a cursor may hold: four-digit years, all inside what Postgres' timestamptz stores. */
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  public static RunCursor after(Run run) {
    return new RunCursor(run.scheduledFor(), run.attempt(), run.id());
  }

  public String encode() {
    String raw = scheduledFor + "|" + attempt + "|" + id;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** @throws IllegalArgumentException when {@code s} is not a cursor this class made */
  public static RunCursor decode(String s) {
    RunCursor cursor;
    try {
      String[] parts = utf8(Base64.getUrlDecoder().decode(s)).split("\\|", -1);
      if (parts.length != 3) {
        throw new IllegalArgumentException("malformed cursor");
      }
      cursor = new RunCursor(Instant.parse(parts[0]), Integer.parseInt(parts[1]), UUID.fromString(parts[2]));
    } catch (RuntimeException | CharacterCodingException e) {
      throw new IllegalArgumentException("malformed cursor", e);
    }
    if (cursor.attempt < 1 || cursor.scheduledFor.isBefore(EARLIEST) || cursor.scheduledFor.isAfter(LATEST)
        || !cursor.encode().equals(s)) {
      throw new IllegalArgumentException("malformed cursor");
    }
    return cursor;
  }

  /** Strict: bytes that are not UTF-8 are an error, not replacement characters. */
  private static String utf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
  }
}
