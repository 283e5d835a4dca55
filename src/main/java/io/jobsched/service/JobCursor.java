package io.jobsched.service;

import io.jobsched.job.Job;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Position in the job list (ordered by id): the last id of the page before. Opaque to clients, like run
 * cursors, so the encoding can change; {@link #decode} accepts exactly what {@link #encode} writes.
 */
record JobCursor(String afterId) {
  private static final String PREFIX = "job|";

  String encode() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + afterId).getBytes(StandardCharsets.UTF_8));
  }

  /** @throws ApiException 400 naming {@code cursor} when {@code s} is not a cursor this class made */
  static JobCursor decode(String s) {
    try {
      String raw = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(s)))
          .toString();
      if (raw.startsWith(PREFIX)) {
        JobCursor cursor = new JobCursor(raw.substring(PREFIX.length()));
        if (Job.ID.matcher(cursor.afterId).matches() && cursor.encode().equals(s)) {
          return cursor;
        }
      }
    } catch (IllegalArgumentException | CharacterCodingException e) {
      // fall through: not ours
    }
    throw ApiException.badRequest("cursor", "not a cursor returned by this API");
  }
}
