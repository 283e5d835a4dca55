package io.jobsched.notify;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignatureTest {
  @Test
  void signs_timestamp_dot_body_with_hmac_sha256_as_lowercase_hex() {
    // expected value computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret
    assertThat(new Signature("s3cret").sign(1700000000L, "{\"a\":1}"))
        .isEqualTo("sha256=" + HmacReference.hex("s3cret", "1700000000.{\"a\":1}"));
  }

  @Test
  void a_different_timestamp_or_body_or_secret_changes_the_signature() {
    String base = new Signature("s3cret").sign(1700000000L, "{}");
    assertThat(new Signature("s3cret").sign(1700000001L, "{}")).isNotEqualTo(base);
    assertThat(new Signature("s3cret").sign(1700000000L, "{ }")).isNotEqualTo(base);
    assertThat(new Signature("other").sign(1700000000L, "{}")).isNotEqualTo(base);
  }

  @Test
  void an_empty_secret_means_unsigned() {
    assertThat(new Signature("").enabled()).isFalse();
    assertThat(new Signature("x").enabled()).isTrue();
  }
}
