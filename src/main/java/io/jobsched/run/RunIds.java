package io.jobsched.run;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Run ids are UUID version 7 whose timestamp is the run's {@code scheduled_for} (to the millisecond), the
 * month the {@code runs} table is partitioned by: a run id alone names the one partition the run is in, so
 * every statement addressing a run by id reads one partition, and clients still see one opaque id. Runs of
 * one job sort by fire time, and the id index stays append-mostly.
 */
public final class RunIds {
  private final SecureRandom random = new SecureRandom();

  /** A new id for a run scheduled for {@code scheduledFor}. */
  public UUID forFire(Instant scheduledFor) {
    long millis = scheduledFor.toEpochMilli();
    long msb = (millis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  /**
   * The millisecond a run id says its run is scheduled for: {@code scheduled_for} lies in
   * [that, that + 1 ms). Meaningless for ids made otherwise (runs created before ids carried it).
   */
  public static Instant scheduledMillis(UUID id) {
    return Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
  }
}
