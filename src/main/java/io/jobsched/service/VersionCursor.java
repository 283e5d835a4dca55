package io.jobsched.service;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Position in a job's version history (newest first): the version the next page starts below. Opaque to
 * clients like the other cursors; {@link #decode} accepts exactly what {@link #encode} writes.
 */
record VersionCursor(long beforeVersion) {
  private static final String PREFIX = "version|";

  String encode() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + beforeVersion).getBytes(StandardCharsets.UTF_8));
  }

  /** @throws ApiException 400 naming {@code cursor} when {@code s} is not a cursor this class made */
  static VersionCursor decode(String s) {
    try {
      String raw = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(s)))
          .toString();
      if (raw.startsWith(PREFIX)) {
        VersionCursor cursor = new VersionCursor(Long.parseLong(raw.substring(PREFIX.length())));
        if (cursor.beforeVersion > 0 && cursor.encode().equals(s)) {
          return cursor;
        }
      }
    } catch (IllegalArgumentException | CharacterCodingException e) {
      // fall through: not ours (NumberFormatException is an IllegalArgumentException)
    }
    throw ApiException.badRequest("cursor", "not a cursor returned by this API");
  }
}
