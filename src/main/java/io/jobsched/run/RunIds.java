package io.jobsched.run;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.UUID;

/**
 * Time-ordered run ids (UUID version 7): newer runs sort after older ones, which keeps the id index
 * append-mostly and makes ids readable in logs.
 */
public final class RunIds {
  private final InstantSource clock;
  private final SecureRandom random = new SecureRandom();

  public RunIds(InstantSource clock) {
    this.clock = clock;
  }

  public UUID next() {
    long millis = clock.millis();
    long msb = (millis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
