package io.jobsched.notify;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;

/** HMAC-SHA256 written the way a receiver would, to check deliveries against (tests only). */
public final class HmacReference {
  private HmacReference() {
  }

  public static String hex(String secret, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      StringBuilder sb = new StringBuilder();
      for (byte b : mac.doFinal(message.getBytes(StandardCharsets.UTF_8))) {
        sb.append(String.format("%02x", b));
      }
      return sb.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
