package io.jobsched.history;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What must match between a month in Postgres and its cold files: the row count and the sum (mod 2^64) of a
 * SHA-256-derived hash of each row's canonical text ({@link ColdColumns#canonical}). The sum does not depend
 * on row order, so Postgres and DuckDB may read the rows in any order; any changed, lost or added row changes
 * it (but for a 2^-64 chance).
 */
public final class RowChecksum {
  private final MessageDigest sha256;
  private long rows;
  private long sum;

  public RowChecksum() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public void add(String canonicalRow) {
    byte[] d = sha256.digest(canonicalRow.getBytes(StandardCharsets.UTF_8));
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (d[i] & 0xFF);
    }
    sum += h;
    rows++;
  }

  public long rows() {
    return rows;
  }

  /** The count and sum as one text, e.g. {@code 1000:00ff...}: what the manifest and run_archives record. */
  public String value() {
    return rows + ":" + String.format("%016x", sum);
  }
}
