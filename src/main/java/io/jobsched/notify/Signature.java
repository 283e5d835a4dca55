package io.jobsched.notify;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The signature of a delivery, Stripe/GitHub style: {@code sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">}
 * with the configured secret. Signing the timestamp with the body lets a receiver reject replays of an old
 * delivery (compare the timestamp with its clock) as well as forgeries. Pure.
 */
public final class Signature {
  public static final String TIMESTAMP_HEADER = "X-Jobsched-Timestamp";
  public static final String SIGNATURE_HEADER = "X-Jobsched-Signature";

  private final SecretKeySpec key;

  /** Empty secret: deliveries go unsigned ({@link #enabled()} false). */
  public Signature(String secret) {
    this.key = secret.isEmpty() ? null : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  public boolean enabled() {
    return key != null;
  }

  /** The {@value #SIGNATURE_HEADER} value for a body sent at {@code epochSeconds}. */
  public String sign(long epochSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] digest = mac.doFinal((epochSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return "sha256=" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable: " + e.getMessage(), e);
    }
  }
}
